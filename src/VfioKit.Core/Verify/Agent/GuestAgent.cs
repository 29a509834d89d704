using System.Text;
using System.Text.Json;

namespace VfioKit.Verify.Agent;

/// <summary>
/// Runs programs in a guest through its agent (guest-exec, then guest-exec-status until it exited) and
/// collects the report verify reads: the <see cref="LinuxSysfsCollector"/> in a Linux guest, the
/// <see cref="WindowsCollector.Script"/> in a Windows guest (guest-get-osinfo tells which).
/// </summary>
public sealed class GuestAgent(IGuestAgentChannel channel)
{
    /// <summary>How often guest-exec-status is asked while the program runs.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest a collector may run in the guest.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>"mswindows" for Windows, the distribution's id for Linux ("debian"), or null when the agent does not say.</summary>
    public async Task<string?> OsIdAsync(CancellationToken cancellation)
    {
        try
        {
            var info = await channel.ExecuteAsync(GuestAgentCommands.OsInfo(), cancellation).ConfigureAwait(false);
            return info.ValueKind == JsonValueKind.Object && info.TryGetProperty("id", out var id) ? id.GetString() : null;
        }
        catch (GuestAgentException)
        {
            return null; // an agent older than 2.10, or with guest-get-osinfo blocked: assume Linux
        }
    }

    /// <summary>Runs <paramref name="path"/> with <paramref name="arguments"/> (an array: no shell) and waits for it.</summary>
    /// <exception cref="GuestAgentException">guest-exec refused (no such program), or the deadline passed.</exception>
    public async Task<GuestExecResult> ExecAsync(string path, IReadOnlyList<string> arguments, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(Deadline);
        try
        {
            var started = await channel.ExecuteAsync(GuestAgentCommands.Exec(path, arguments), deadline.Token).ConfigureAwait(false);
            if (started.ValueKind != JsonValueKind.Object || !started.TryGetProperty("pid", out var pidElement) || !pidElement.TryGetInt64(out var pid))
                throw new GuestAgentException("guest-exec answered without a pid");
            while (true)
            {
                var status = await channel.ExecuteAsync(GuestAgentCommands.ExecStatus(pid), deadline.Token).ConfigureAwait(false);
                if (status.ValueKind == JsonValueKind.Object && status.TryGetProperty("exited", out var exited) && exited.ValueKind == JsonValueKind.True)
                {
                    int? code = status.TryGetProperty("exitcode", out var c) && c.TryGetInt32(out var n) ? n : null;
                    var truncated = status.TryGetProperty("out-truncated", out var t) && t.ValueKind == JsonValueKind.True;
                    return new GuestExecResult(code, Decode(status, "out-data"), Decode(status, "err-data"), truncated);
                }
                await Task.Delay(PollInterval, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new GuestAgentException($"{path} did not finish in the guest within {Deadline.TotalSeconds:0} s");
        }
    }

    /// <summary>Runs the right collector for the guest's OS and returns its output, ready for <see cref="GuestReportReader"/>.</summary>
    public async Task<string> CollectAsync(CancellationToken cancellation)
    {
        var os = await OsIdAsync(cancellation).ConfigureAwait(false);
        var windows = string.Equals(os, "mswindows", StringComparison.OrdinalIgnoreCase);
        var (path, arguments) = windows ? WindowsCommand() : LinuxCommand;
        var result = await ExecAsync(path, arguments, cancellation).ConfigureAwait(false);
        if (result.OutputTruncated)
            throw new GuestAgentException($"the guest agent cut {path}'s output short");
        if (result.ExitCode is not 0)
            throw new GuestAgentException($"{path} exited with {(result.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no code")} in the guest: {FirstLine(result.Error)}");
        return result.Output;
    }

    /// <summary>The sysfs collector run by the agent (as root, so the whole config space is readable): no pciutils needed.</summary>
    public static (string Path, IReadOnlyList<string> Arguments) LinuxCommand => LinuxSysfsCollector.Command;

    /// <summary>Windows PowerShell with the script as -EncodedCommand (UTF-16LE, base64): nothing written to the guest's disk.</summary>
    public static (string Path, IReadOnlyList<string> Arguments) WindowsCommand() =>
        ("powershell.exe", ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-EncodedCommand",
            Convert.ToBase64String(Encoding.Unicode.GetBytes(WindowsCollector.Script))]);

    private static string Decode(JsonElement status, string name)
    {
        if (!status.TryGetProperty(name, out var data) || data.ValueKind != JsonValueKind.String) return "";
        try { return Encoding.UTF8.GetString(Convert.FromBase64String(data.GetString()!)); }
        catch (FormatException e) { throw new GuestAgentException($"guest-exec-status's {name} is not base64", e); }
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length == 0 ? "(no message)" : line.Length > 200 ? line[..200] + "..." : line;
    }
}
