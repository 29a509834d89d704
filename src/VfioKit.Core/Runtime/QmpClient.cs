using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using VfioKit.Processes;

namespace VfioKit.Runtime;

/// <summary>
/// A small QMP client over a unix socket: reads the greeting, enters command mode (qmp_capabilities), runs
/// commands and returns their "return" value. Asynchronous events between replies are skipped.
/// The other end is not trusted: every exchange has a deadline (a server dripping a byte at a time cannot hold
/// it longer), a line is at most <see cref="MaxLineBytes"/>, at most <see cref="MaxEventsSkipped"/> events are
/// skipped per reply, and anything that is not a JSON object is a <see cref="QmpException"/>.
/// </summary>
public sealed class QmpClient : IDisposable
{
    /// <summary>QEMU's largest replies (query-qmp-schema) are about 200 KiB.</summary>
    public const int MaxLineBytes = 4 << 20;
    public const int MaxEventsSkipped = 1000;

    private readonly Socket _socket;
    private readonly string _path;
    private readonly TimeSpan _timeout;
    private readonly NetworkStream _stream;
    private readonly LineReader _lines;

    /// <summary>The "QMP" object of the greeting (version, capabilities).</summary>
    public JsonElement Greeting { get; }

    /// <summary>The process at the other end of the socket, as the kernel reports it (SO_PEERCRED); 0 when not visible.</summary>
    public int PeerPid { get; }

    private QmpClient(Socket socket, string path, TimeSpan timeout)
    {
        _socket = socket;
        _path = path;
        _timeout = timeout;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _lines = new LineReader(_stream, MaxLineBytes);
        PeerPid = ReadPeerPid(socket);
        using var deadline = Deadline();
        using var greeting = ReadMessage("greeting", deadline.Token);
        if (greeting.RootElement.ValueKind != JsonValueKind.Object || !greeting.RootElement.TryGetProperty("QMP", out var qmp))
            throw new QmpException($"{path} is not a QMP socket: its first message has no \"QMP\" greeting");
        Greeting = qmp.Clone();
    }

    /// <summary>Connects and negotiates; <see cref="QmpException"/> when the socket is absent, silent or not QMP.
    /// <paramref name="timeout"/> bounds each exchange (greeting, each command), however the server dribbles.</summary>
    public static QmpClient Connect(string path, TimeSpan timeout)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        {
            SendTimeout = (int)timeout.TotalMilliseconds,
        };
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            var client = new QmpClient(socket, path, timeout);
            client.Execute("qmp_capabilities");
            return client;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new QmpException($"cannot connect to {path}: {e.Message}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Runs a command without arguments and returns a copy of its "return" value.</summary>
    public JsonElement Execute(string command)
    {
        var request = Encoding.UTF8.GetBytes("{\"execute\":\"" + command + "\"}\n");
        try { _socket.Send(request); }
        catch (SocketException e) { throw new QmpException($"{_path}: could not send {command}: {e.Message}", e); }
        using var deadline = Deadline();
        for (var skipped = 0; ; skipped++)
        {
            if (skipped > MaxEventsSkipped)
                throw new QmpException($"{_path}: more than {MaxEventsSkipped} events and no reply to {command}");
            using var reply = ReadMessage(command, deadline.Token);
            var root = reply.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new QmpException($"{_path}: malformed reply to {command}: a JSON {root.ValueKind}, not an object");
            if (root.TryGetProperty("event", out _)) continue;
            if (root.TryGetProperty("return", out var ret)) return ret.Clone();
            if (root.TryGetProperty("error", out var err))
                throw new QmpException($"{command}: {(err.ValueKind == JsonValueKind.Object && err.TryGetProperty("desc", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : Shown(err.ToString()))}");
            throw new QmpException($"{_path}: unexpected reply to {command}: {Shown(root.ToString())}");
        }
    }

    /// <summary>One exchange's deadline, however the server dribbles its bytes.</summary>
    private CancellationTokenSource Deadline() => new(_timeout);

    private JsonDocument ReadMessage(string waitingFor, CancellationToken deadline)
    {
        byte[] line;
        try { line = _lines.ReadLineAsync(deadline).GetAwaiter().GetResult(); }
        catch (LineReadException e) { throw new QmpException($"{_path}: {e.Message} ({waitingFor})", e); }
        catch (OperationCanceledException e)
        {
            throw new QmpException($"{_path} is not a QMP socket: no complete reply ({waitingFor}) within {_timeout.TotalMilliseconds:0} ms", e);
        }
        try { return JsonDocument.Parse(line); }
        catch (JsonException e)
        {
            throw new QmpException($"{_path} is not a QMP socket: it sent '{Shown(Encoding.UTF8.GetString(line))}' ({waitingFor})", e);
        }
    }

    private static int ReadPeerPid(Socket socket)
    {
        if (!OperatingSystem.IsLinux()) return 0;
        // SO_PEERCRED (SOL_SOCKET=1, 17): struct ucred { pid_t pid; uid_t uid; gid_t gid; }.
        var ucred = new byte[12];
        try { return socket.GetRawSocketOption(1, 17, ucred) >= 4 ? BitConverter.ToInt32(ucred, 0) : 0; }
        catch (SocketException) { return 0; }
    }

    private static string Shown(string text) => text.Length > 60 ? text[..60] + "..." : text;

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
    }
}
