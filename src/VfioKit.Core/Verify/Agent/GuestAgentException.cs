namespace VfioKit.Verify.Agent;

/// <summary>The guest agent could not be reached, answered with an error, or ran out of time.</summary>
public sealed class GuestAgentException(string message, Exception? inner = null) : Exception(message, inner);
