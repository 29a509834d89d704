using System.CommandLine;
using VfioKit.Cli.Commands;
using VfioKit.Cli.Json;
using VfioKit.Diagnostics;

namespace VfioKit.Cli;

/// <summary>Builds the verb tree and runs it; in-process so tests can call it with captured writers.</summary>
public static class CliApp
{
    /// <param name="terminal">Whether <paramref name="output"/> is a terminal (colour); null: decided by <see cref="CliIO"/>.</param>
    /// <param name="beforeVerb">Run once the arguments are parsed, before anything is written or done (the
    /// launcher's staleness check, <see cref="Install.SourceFreshness"/>).</param>
    public static int Run(string[] args, TextWriter output, TextWriter error, bool? terminal = null, Action? beforeVerb = null)
    {
        var root = Root(output, error, terminal);

        var parse = root.Parse(args);
        beforeVerb?.Invoke();
        var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        // System.CommandLine reports parse errors with exit code 1; ours is 2 for bad input.
        return Guarded(parse, () =>
        {
            // Asked for JSON, a parse error is the error object on stdout (not the usage text) and its message on stderr.
            if (parse.Errors.Count > 0 && ErrorOutput.JsonAsked(parse))
            {
                foreach (var e in parse.Errors) error.WriteLine($"vfiokit: {VisibleText.Of(e.Message)}");
                ErrorOutput.WriteIfAsked(parse, output, ExitCodes.BadInput, VisibleText.Of(string.Join("; ", parse.Errors.Select(e => e.Message))));
                return ExitCodes.BadInput;
            }
            return parse.Invoke(config) is var code && parse.Errors.Count > 0 ? ExitCodes.BadInput : code;
        }, error, output);
    }

    /// <summary>Runs a verb: bad input is exit 2 with its message, anything unexpected exit 70 (<see cref="InternalError"/>).</summary>
    /// <param name="output">Where a verb asked for JSON gets its error object (<see cref="ErrorOutput"/>); null: stderr only.</param>
    internal static int Guarded(System.CommandLine.ParseResult parse, Func<int> verb, TextWriter error, TextWriter? output = null)
    {
        try
        {
            return verb();
        }
        catch (InputException e)
        {
            error.WriteLine($"vfiokit: {VisibleText.Of(e.Describe())}");
            ErrorOutput.WriteIfAsked(parse, output, ExitCodes.BadInput, VisibleText.Of(e.Message), e.Origin, e.Line, e.Column);
            return ExitCodes.BadInput;
        }
        catch (VfioKit.Libvirt.LibvirtException e)
        {
            error.WriteLine($"vfiokit: {e.Message}");
            ErrorOutput.WriteIfAsked(parse, output, ExitCodes.Environment, e.Message);
            return ExitCodes.Environment;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return InternalError.Report(parse, e, error);
        }
    }

    /// <summary>The verb tree (also what `install` writes the bash completion from).</summary>
    public static RootCommand Root(TextWriter output, TextWriter error, bool? terminal = null)
    {
        var io = new CliIO(output, error, terminal);
        var root = new RootCommand("vfiokit: bare-metal GPU passthrough for QEMU/KVM guests, and the proof of it.");
        foreach (var verb in Verbs(io)) root.Add(verb);
        return root;
    }

    private static IEnumerable<Command> Verbs(CliIO io) =>
    [
        HostCommand.Create(io),
        SnapshotCommand.Create(io),
        GuestViewCommand.Create(io),
        ProbeCommand.Create(io),
        VerifyCommand.Create(io),
        LintCommand.Create(io),
        FixCommand.Create(io),
        FleetCommand.Create(io),
        RulesCommand.Create(io),
        ExplainCommand.Create(io),
        NewCommand.Create(io),
        LgSizeCommand.Create(io),
        PlanCommand.Create(io),
        PinCommand.Create(io),
        RunCommand.Create(io),
        RestoreCommand.Create(io),
        HookCommand.Create(io),
        KubeVirtHookCommand.Create(io),
        ReportCommand.Create(io),
        VersionCommand.Create(io),
        InstallCommand.Create(io),
    ];
}
