using System.Net.Sockets;
using System.Text;

namespace VfioKit.Tests.Runtime;

/// <summary>A QMP server in the test process, on a unix socket, that behaves as the test says: it serves one
/// connection with <c>behave</c>, which gets the accepted socket, and stops on dispose.</summary>
public sealed class FakeQmpServer : IDisposable
{
    public const string Greeting = """{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 9}}, "capabilities": []}}""" + "\n";

    private readonly TempDirectory _dir = new("vfiokit-qmp-");
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public FakeQmpServer(Action<Socket, CancellationToken> behave)
    {
        Path = _dir.File("qmp.sock");
        _listener.Bind(new UnixDomainSocketEndPoint(Path));
        _listener.Listen(1);
        _serving = Task.Run(() =>
        {
            try
            {
                using var peer = _listener.Accept();
                behave(peer, _stop.Token);
            }
            catch (SocketException) { } // the client hung up: what a hostile server expects
            catch (ObjectDisposedException) { }
        });
    }

    public string Path { get; }

    public static void Send(Socket s, string text) => s.Send(Encoding.UTF8.GetBytes(text));

    /// <summary>Reads one request line (the client's command).</summary>
    public static string ReadCommand(Socket s)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (s.Receive(one) == 1 && one[0] != '\n') line.Append((char)one[0]);
        return line.ToString();
    }

    /// <summary>Greets, accepts qmp_capabilities, then answers each command with <paramref name="reply"/>.</summary>
    public static Action<Socket, CancellationToken> Answering(Func<string, string> reply) => (s, stop) =>
    {
        Send(s, Greeting);
        ReadCommand(s);
        Send(s, "{\"return\": {}}\n");
        while (!stop.IsCancellationRequested)
        {
            var command = ReadCommand(s);
            if (command.Length == 0) return;
            Send(s, reply(command));
        }
    };

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _serving.Wait(TimeSpan.FromSeconds(10));
        _dir.Dispose();
    }
}
