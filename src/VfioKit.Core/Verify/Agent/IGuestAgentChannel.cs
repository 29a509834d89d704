using System.Text.Json;

namespace VfioKit.Verify.Agent;

/// <summary>A way to send one guest agent command and get its answer: a QEMU guest agent socket, or libvirt.</summary>
public interface IGuestAgentChannel : IAsyncDisposable
{
    /// <summary>Sends <paramref name="command"/> (one JSON object) and returns the answer's "return" member.</summary>
    /// <exception cref="GuestAgentException">The agent answered with an error, or did not answer in time.</exception>
    Task<JsonElement> ExecuteAsync(string command, CancellationToken cancellation);
}
