using System.Diagnostics;
using Xunit.Abstractions;

namespace VfioKit.Tests.Lab;

/// <summary>
/// A real libvirtd (9.0 on this machine) on the system socket for the test run (../shared/LAB.md section 3).
/// The machine is set up by scripts/install-deps.sh (packages, the libvirt-qemu user and group, /dev/kvm
/// permissions), never here: a missing piece fails every test of the collection with that hint. The fixture
/// starts `libvirtd -d` only when none answers, stops the one it started when the run ends, and asks libvirt
/// once whether it supports KVM (<see cref="Kvm"/>).
/// </summary>
public sealed class LibvirtdFixture : IDisposable
{
    public const string Uri = "qemu:///system";
    private const string PidFile = "/var/run/libvirtd.pid";
    private const string Setup = "run scripts/install-deps.sh";
    private int? startedPid;
    private int? startedVirtlogdPid;
    private const string VirtlogdPidFile = "/var/run/virtlogd.pid";
    private const string VirtlogdSocket = "/var/run/libvirt/virtlogd-sock";

    public LibvirtdFixture()
    {
        foreach (var tool in new[] { "libvirtd", "virsh", "virt-xml-validate", "xmllint" })
            if (Which(tool) is null)
                throw new InvalidOperationException($"{tool} not found: {Setup} (Debian packages libvirt-daemon, libvirt-daemon-driver-qemu, libvirt-clients, libxml2-utils)");
        if (Run("id", "-u", "libvirt-qemu").Exit != 0)
            throw new InvalidOperationException($"the user libvirt-qemu, which libvirtd runs QEMU as, does not exist: {Setup}");
        EnsureRunning();
        Kvm = KvmSupport.Ask(args => Run("virsh", ["-c", Uri, .. args]));
    }

    /// <summary>What libvirt said about KVM on this machine, asked once per test run.</summary>
    public KvmSupport Kvm { get; }

    /// <summary>
    /// The way through libvirtd under <paramref name="virtType"/> for one test, printed to its output. The kvm
    /// path is skipped, with libvirt's reason, where libvirt does not support KVM; the qemu path always runs.
    /// </summary>
    public LibvirtdPath Under(string virtType, ITestOutputHelper output)
    {
        output.WriteLine($"libvirtd path {virtType}: {Kvm.Reason}");
        if (virtType == VirtTypes.Kvm)
            Skip.IfNot(Kvm.Available, $"kvm path skipped: {Kvm.Reason}; the qemu path checks a type='qemu' copy of the same domain");
        return new LibvirtdPath(this, virtType, output);
    }

    /// <summary>Starts libvirtd when nothing answers on the socket (idempotent; also after a daemon crash).</summary>
    public void EnsureRunning()
    {
        if (Answers()) return;
        Must("libvirtd", "-d");
        if (int.TryParse(File.Exists(PidFile) ? File.ReadAllText(PidFile).Trim() : "", out var pid)) startedPid = pid;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (Answers()) return;
            Thread.Sleep(500);
        }
        throw new InvalidOperationException("libvirtd started but does not answer on /var/run/libvirt/libvirt-sock");
    }

    /// <summary>Starts virtlogd when its socket is missing: libvirtd hands a started domain's QEMU output to it, so a
    /// test that starts a domain (not only defines one) needs it. Stopped at the end like libvirtd.</summary>
    public void EnsureVirtlogd()
    {
        if (File.Exists(VirtlogdSocket)) return;
        Must("virtlogd", "-d");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !File.Exists(VirtlogdSocket)) Thread.Sleep(200);
        if (int.TryParse(File.Exists(VirtlogdPidFile) ? File.ReadAllText(VirtlogdPidFile).Trim() : "", out var pid)) startedVirtlogdPid = pid;
        if (!File.Exists(VirtlogdSocket)) throw new InvalidOperationException($"virtlogd started but {VirtlogdSocket} did not appear");
    }

    /// <summary>Stops the libvirtd and virtlogd this fixture started (by their pids, SIGTERM, so they remove their sockets
    /// and pid files); ones that were already running are left alone.</summary>
    public void Dispose()
    {
        foreach (var started in new[] { startedPid, startedVirtlogdPid })
        {
            if (started is not { } pid) continue;
            Run("kill", "-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline && Directory.Exists($"/proc/{pid}")) Thread.Sleep(200);
        }
    }

    private static bool Answers() => File.Exists("/var/run/libvirt/libvirt-sock") && Run("virsh", "-c", Uri, "version").Exit == 0;

    /// <summary>`virsh domxml-to-native qemu-argv FILE`: libvirt's own QEMU command line for a domain XML.</summary>
    public (int Exit, string Out, string Err) ToNative(string xmlFile)
    {
        EnsureRunning();
        return Run("virsh", "-c", Uri, "domxml-to-native", "qemu-argv", xmlFile);
    }

    /// <summary>`virt-xml-validate FILE domain`: libvirt's RNG schema check.</summary>
    public static (int Exit, string Out, string Err) Validate(string xmlFile) => Run("virt-xml-validate", xmlFile, "domain");

    public static (int Exit, string Out, string Err) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(300)))
        {
            p.Kill(entireProcessTree: true);
            return (-1, stdout.Result, "timed out: " + stderr.Result);
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static void Must(string file, params string[] args)
    {
        var (exit, _, err) = Run(file, args);
        if (exit != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({exit}): {err}");
    }

    private static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Concat(["/usr/sbin", "/sbin"])
            .Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
}

[CollectionDefinition(Name)]
public sealed class LibvirtdCollection : ICollectionFixture<LibvirtdFixture>
{
    public const string Name = "libvirtd";
}
