using System.CommandLine;
using VfioKit.Cli.Install;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit install [--prefix DIR] [--dry-run]`: the native binary on PATH, with bash completion.</summary>
internal static class InstallCommand
{
    public static Command Create(CliIO io)
    {
        var prefix = new Option<string?>("--prefix") { Description = "Install under DIR (DIR/bin, DIR/share/bash-completion); default /usr/local as root, ~/.local otherwise." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be copied and written, change nothing." };
        var command = new Command("install", "Copy the native binary to PREFIX/bin and install bash completion for its verbs and options.") { prefix, dryRun };
        command.SetAction(parse =>
        {
            var root = (RootCommand)parse.RootCommandResult.Command;
            var source = Environment.ProcessPath ?? "";
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            var install = new Installation(source, Path.GetFullPath(parse.GetValue(prefix) ?? Installation.DefaultPrefix(Environment.IsPrivilegedProcess, home)),
                BashCompletion.For(root));
            foreach (var step in install.Steps) io.Out.WriteLine((parse.GetValue(dryRun) ? "would " : "") + step);
            if (parse.GetValue(dryRun)) return ExitCodes.Ok;
            // Under `dotnet` (tests, `dotnet run`) the process is the SDK's host, not vfiokit: nothing to copy.
            if (Path.GetFileName(source) != "vfiokit")
            {
                io.Error.WriteLine($"vfiokit: install copies the native binary, and this process is {source}: run ./vfiokit install");
                return ExitCodes.Environment;
            }
            try
            {
                if (!OperatingSystem.IsWindows()) install.Apply();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                io.Error.WriteLine($"vfiokit: install into {install.Prefix} failed: {e.Message}");
                return ExitCodes.Environment;
            }
            var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':');
            if (!path.Contains(Path.GetDirectoryName(install.BinaryPath)))
                io.Out.WriteLine($"note: {Path.GetDirectoryName(install.BinaryPath)} is not on PATH; add it to use `vfiokit` by name");
            return ExitCodes.Ok;
        });
        return command;
    }
}
