namespace VfioKit.Processes;

/// <summary>A program that could not be run to its end (not started, stopped at its deadline, too much output); names the program.</summary>
public class ExternalProgramException(string program, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Program { get; } = program;
}
