using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace VfioKit.Runtime;

/// <summary>
/// A small QMP client over a unix socket: reads the greeting, enters command mode (qmp_capabilities), runs
/// commands and returns their "return" value. Asynchronous events between replies are skipped.
/// </summary>
public sealed class QmpClient : IDisposable
{
    private readonly Socket _socket;
    private readonly StreamReader _reader;
    private readonly Stream _stream;
    private readonly string _path;

    /// <summary>The "QMP" object of the greeting (version, capabilities).</summary>
    public JsonElement Greeting { get; }

    private QmpClient(Socket socket, string path)
    {
        _socket = socket;
        _path = path;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _reader = new StreamReader(_stream, Encoding.UTF8);
        using var greeting = ReadMessage("greeting");
        if (!greeting.RootElement.TryGetProperty("QMP", out var qmp))
            throw new QmpException($"{path} is not a QMP socket: its first message has no \"QMP\" greeting");
        Greeting = qmp.Clone();
    }

    /// <summary>Connects and negotiates; <see cref="QmpException"/> when the socket is absent, silent or not QMP.</summary>
    public static QmpClient Connect(string path, TimeSpan timeout)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        {
            ReceiveTimeout = (int)timeout.TotalMilliseconds,
            SendTimeout = (int)timeout.TotalMilliseconds,
        };
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            var client = new QmpClient(socket, path);
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
        try { _stream.Write(request); }
        catch (IOException e) { throw new QmpException($"{_path}: could not send {command}: {e.Message}", e); }
        while (true)
        {
            using var reply = ReadMessage(command);
            var root = reply.RootElement;
            if (root.TryGetProperty("event", out _)) continue;
            if (root.TryGetProperty("return", out var ret)) return ret.Clone();
            if (root.TryGetProperty("error", out var err))
                throw new QmpException($"{command}: {(err.TryGetProperty("desc", out var d) ? d.GetString() : err.ToString())}");
            throw new QmpException($"{_path}: unexpected reply to {command}: {root}");
        }
    }

    private JsonDocument ReadMessage(string waitingFor)
    {
        string? line;
        try { line = _reader.ReadLine(); }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock })
        {
            throw new QmpException($"{_path} is not a QMP socket: no reply ({waitingFor}) within {_socket.ReceiveTimeout} ms", e);
        }
        catch (IOException e) { throw new QmpException($"{_path}: connection lost waiting for {waitingFor}: {e.Message}", e); }
        if (line is null) throw new QmpException($"{_path}: closed while waiting for {waitingFor}");
        try { return JsonDocument.Parse(line); }
        catch (JsonException e)
        {
            var shown = line.Length > 60 ? line[..60] + "..." : line;
            throw new QmpException($"{_path} is not a QMP socket: it sent '{shown}' ({waitingFor})", e);
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
        _socket.Dispose();
    }
}
