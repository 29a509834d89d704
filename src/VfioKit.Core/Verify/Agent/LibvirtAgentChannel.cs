using System.Text.Json;
using VfioKit.Processes;

namespace VfioKit.Verify.Agent;

/// <summary>
/// The guest agent of a libvirt domain, through <c>virsh -c URI qemu-agent-command DOMAIN JSON</c>
/// (started with an argument list, never a shell): libvirt owns the agent socket and does the sync.
/// </summary>
public sealed class LibvirtAgentChannel(string virsh, string uri, string domain) : IGuestAgentChannel
{
    public async Task<JsonElement> ExecuteAsync(string command, CancellationToken cancellation)
    {
        ProgramOutput run;
        try
        {
            // The caller's cancellation carries the real deadline; this one only bounds a virsh that hangs.
            run = await ExternalProgram.RunAsync(virsh, ["-c", uri, "qemu-agent-command", domain, command], TimeSpan.FromMinutes(5),
                maxOutputBytes: GuestAgentSocket.MaxAnswerBytes, cancellation: cancellation).ConfigureAwait(false);
        }
        catch (ProgramNotStartedException e) { throw new GuestAgentException($"{e.Message}: apt-get install libvirt-clients", e); }
        catch (ExternalProgramException e) { throw new GuestAgentException($"the guest agent's answer through virsh: {e.Message}", e); }
        if (!run.Succeeded)
            throw new GuestAgentException($"virsh qemu-agent-command {domain} failed: {run.Error.Trim()}");
        try
        {
            using var answer = JsonDocument.Parse(run.Output);
            return GuestAgentAnswers.ReturnOf(answer.RootElement);
        }
        catch (JsonException e)
        {
            throw new GuestAgentException("virsh printed something that is not JSON: " + e.Message, e);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
