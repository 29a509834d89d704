using VfioKit.Tests.Cli;
using VfioKit.Tests.Fixing;

namespace VfioKit.Tests.Hostile;

/// <summary>A config path that is a FIFO, a device, a directory or a socket is refused at once (exit 2, the file
/// named), never opened for reading: a FIFO would block forever, /dev/zero never ends. Each run has a deadline, so
/// a hang fails the test instead of stalling the suite.</summary>
public class SpecialFileConfigTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static CliRun Within(params string[] args)
    {
        var run = Task.Run(() => CliRun.Of(args));
        Assert.True(run.Wait(Deadline), $"vfiokit {string.Join(' ', args)} did not return within {Deadline.TotalSeconds} s");
        return run.Result;
    }

    public static TheoryData<string> Verbs => new() { "lint", "fix", "guest-view" };

    [Theory]
    [MemberData(nameof(Verbs))]
    public void A_fifo_is_refused_at_once(string verb)
    {
        using var dir = new TempDirectory("vk-fifo");
        var fifo = Path.Combine(dir.Path, "vm.xml");
        Assert.Equal(0, ToolRun.Of("mkfifo", fifo).ExitCode);
        var run = Within(verb, fifo);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{fifo}: is a FIFO (named pipe), not a configuration file", run.Error);
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public void A_device_file_is_refused_at_once(string verb)
    {
        var run = Within(verb, "/dev/zero");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("/dev/zero: is a device file, not a configuration file", run.Error);
    }

    [Fact]
    public void Fix_write_on_a_fifo_is_refused_and_leaves_nothing_beside_it()
    {
        using var dir = new TempDirectory("vk-fifo");
        var fifo = Path.Combine(dir.Path, "vm.xml");
        Assert.Equal(0, ToolRun.Of("mkfifo", fifo).ExitCode);
        var run = Within("fix", "--write", fifo);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is a FIFO", run.Error);
        Assert.Equal([fifo], Directory.GetFileSystemEntries(dir.Path));
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public void A_directory_is_refused(string verb)
    {
        using var dir = new TempDirectory("vk-dir");
        var run = Within(verb, dir.Path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{dir.Path}: is a directory, not a configuration file", run.Error);
    }

    [Fact]
    public void A_socket_is_refused()
    {
        using var dir = new TempDirectory("vk-sock");
        var path = Path.Combine(dir.Path, "vm.conf");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        var run = Within("lint", path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{path}: is a socket, not a configuration file", run.Error);
    }

    [Fact]
    public void Stdin_still_reads_with_a_dash()
    {
        var xml = File.ReadAllText(TestPaths.DataFile("configs", "seed-libvirt-ioh3420.xml"));
        var previous = Console.In;
        try
        {
            Console.SetIn(new StringReader(xml));
            var run = Within("lint", "--fail-on", "none", "-");
            Assert.Equal(0, run.ExitCode);
            Assert.DoesNotContain("not a configuration file", run.Error);
        }
        finally { Console.SetIn(previous); }
    }
}
