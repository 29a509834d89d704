using System.CommandLine;
using System.Reflection;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit version`: the tool's version, for bug reports.</summary>
internal static class VersionCommand
{
    public static Command Create(CliIO io)
    {
        var command = new Command("version", "Print vfiokit's version.");
        command.SetAction(_ =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            io.Out.WriteLine($"vfiokit {version}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
