using System.Text.Json;

namespace VfioKit.Verify.Agent;

/// <summary>Reads the guest agent's answers: {"return": ...} or {"error": {"class": ..., "desc": ...}}.</summary>
public static class GuestAgentAnswers
{
    /// <summary>The "return" member, cloned so it outlives its document.</summary>
    /// <exception cref="GuestAgentException">The answer is an error, or has neither member.</exception>
    public static JsonElement ReturnOf(JsonElement answer)
    {
        if (answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("return", out var r)) return r.Clone();
        if (answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("error", out var e))
        {
            var desc = e.ValueKind == JsonValueKind.Object && e.TryGetProperty("desc", out var d) ? d.ToString() : e.ToString();
            throw new GuestAgentException("the guest agent refused: " + desc);
        }
        throw new GuestAgentException("the guest agent's answer has neither \"return\" nor \"error\"");
    }
}
