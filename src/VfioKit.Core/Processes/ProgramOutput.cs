using System.Text;

namespace VfioKit.Processes;

/// <summary>What a program that ran to its end left: exit code, standard output (bytes) and the start of standard error.</summary>
public sealed record ProgramOutput(int ExitCode, byte[] Output, string Error)
{
    /// <summary>Standard output as UTF-8 text.</summary>
    public string Text => Encoding.UTF8.GetString(Output);

    public bool Succeeded => ExitCode == 0;
}
