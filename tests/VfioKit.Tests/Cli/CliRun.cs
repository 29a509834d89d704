using VfioKit.Cli;

namespace VfioKit.Tests.Cli;

/// <summary>Runs the CLI in-process with captured output, as a user's shell would see it.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static CliRun Of(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApp.Run(args, output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
