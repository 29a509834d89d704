namespace VfioKit.Processes;

/// <summary>The program could not be started: not installed, not executable, or not found on PATH.</summary>
public sealed class ProgramNotStartedException(string program, string reason, Exception? inner = null)
    : ExternalProgramException(program, $"{program} could not be started ({reason})", inner);
