using System.Globalization;
using System.Text.Json;
using VfioKit.Diagnostics;
using VfioKit.Libvirt;
using Native = VfioKit.Interop.LibvirtQemu;

namespace VfioKit.Verify.Agent;

/// <summary>
/// The guest agent of a libvirt domain, through libvirt's own library (virDomainQemuAgentCommand in
/// libvirt-qemu.so.0): libvirt owns the agent socket and does the sync. Each command runs on a thread of its own
/// (libvirt blocks, and its last error is per thread) and libvirt itself waits at most <see cref="CommandTimeout"/>
/// for the agent's answer. Why the agent cannot be used (no channel, not connected, no answer, domain not running)
/// is a <see cref="GuestAgentException"/> naming the domain and the URI, with libvirt's own words.
/// </summary>
public sealed class LibvirtAgentChannel : IGuestAgentChannel
{
    private readonly LibvirtConnection connection;
    private readonly string domain;
    private Task? inFlight;

    private LibvirtAgentChannel(LibvirtConnection connection, string domain, TimeSpan commandTimeout)
    {
        this.connection = connection;
        this.domain = domain;
        CommandTimeout = commandTimeout;
    }

    /// <summary>How long libvirt waits for one answer (whole seconds, at least 1).</summary>
    public TimeSpan CommandTimeout { get; }

    /// <summary>Opens a read-write connection to <paramref name="uri"/> (libvirt refuses agent commands on a read-only one).</summary>
    /// <exception cref="LibvirtException">libvirt or libvirt-qemu.so.0 is missing, or the connection fails.</exception>
    public static LibvirtAgentChannel Open(string? uri, string domain, TimeSpan commandTimeout)
    {
        LibvirtLibrary.EnsureQemuLoaded();
        return new LibvirtAgentChannel(LibvirtConnection.Open(uri, readOnly: false), domain, commandTimeout);
    }

    public async Task<JsonElement> ExecuteAsync(string command, CancellationToken cancellation)
    {
        var seconds = (int)Math.Clamp(Math.Ceiling(CommandTimeout.TotalSeconds), 1, int.MaxValue);
        var call = Task.Factory.StartNew(() => connection.QemuAgentCommand(domain, command, seconds),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        inFlight = call;
        string answer;
        try { answer = await call.WaitAsync(cancellation).ConfigureAwait(false); }
        catch (LibvirtException e) { throw new GuestAgentException(Explain(e), e); }
        try
        {
            using var document = JsonDocument.Parse(answer);
            return GuestAgentAnswers.ReturnOf(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new GuestAgentException($"{connection.Uri}: libvirt passed on an answer of domain '{domain}''s guest agent that is not JSON: {e.Message}", e);
        }
    }

    private string Explain(LibvirtException e)
    {
        var where = $"domain '{domain}' on {connection.Uri}";
        return e.Code switch
        {
            Native.ErrArgumentUnsupported =>
                $"{where} has no guest agent channel: add <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel> to its <devices> and restart it ({e.Message})",
            Native.ErrAgentUnresponsive =>
                $"the guest agent of {where} did not answer within {CommandTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s or is not running: start qemu-ga in the guest (Debian/Ubuntu: qemu-guest-agent, Windows: the virtio-win guest tools) ({e.Message})",
            Native.ErrOperationInvalid => $"{where} cannot take guest agent commands: is it running? ({e.Message})",
            _ => e.Message,
        };
    }

    /// <summary>Waits for a command still running in libvirt (bounded by its timeout) before closing the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (inFlight is { } call)
        {
            try { await call.ConfigureAwait(false); }
            catch (Exception e) when (e is LibvirtException or InputException) { }
        }
        connection.Dispose();
    }
}
