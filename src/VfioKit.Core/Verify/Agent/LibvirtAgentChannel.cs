using System.Diagnostics;
using System.Text.Json;

namespace VfioKit.Verify.Agent;

/// <summary>
/// The guest agent of a libvirt domain, through <c>virsh -c URI qemu-agent-command DOMAIN JSON</c>
/// (started with an argument list, never a shell): libvirt owns the agent socket and does the sync.
/// </summary>
public sealed class LibvirtAgentChannel(string virsh, string uri, string domain) : IGuestAgentChannel
{
    public async Task<JsonElement> ExecuteAsync(string command, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(virsh)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-c", uri, "qemu-agent-command", domain, command }) start.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(start) ?? throw new GuestAgentException("virsh did not start"); }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new GuestAgentException($"{virsh} could not be started ({e.Message}): apt-get install libvirt-clients", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellation);
            var error = process.StandardError.ReadToEndAsync(cancellation);
            try { await process.WaitForExitAsync(cancellation).ConfigureAwait(false); }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            var text = await output.ConfigureAwait(false);
            if (process.ExitCode != 0)
                throw new GuestAgentException($"virsh qemu-agent-command {domain} failed: {(await error.ConfigureAwait(false)).Trim()}");
            if (text.Length > GuestAgentSocket.MaxAnswerBytes)
                throw new GuestAgentException($"the guest agent's answer is longer than {GuestAgentSocket.MaxAnswerBytes} bytes");
            try
            {
                using var answer = JsonDocument.Parse(text);
                return GuestAgentAnswers.ReturnOf(answer.RootElement);
            }
            catch (JsonException e)
            {
                throw new GuestAgentException("virsh printed something that is not JSON: " + e.Message, e);
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
