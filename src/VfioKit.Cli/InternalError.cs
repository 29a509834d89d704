using System.CommandLine;
using System.CommandLine.Parsing;

namespace VfioKit.Cli;

/// <summary>
/// The last line of defence: an exception no verb expected becomes exit 70 (sysexits' EX_SOFTWARE) and a
/// short report naming the verb and its input, not a .NET stack dump; VFIOKIT_DEBUG=1 adds the stack.
/// </summary>
internal static class InternalError
{
    public const string DebugVariable = "VFIOKIT_DEBUG";

    public static int Report(ParseResult parse, Exception e, TextWriter error)
    {
        var verb = string.Join(' ', Verbs(parse.CommandResult));
        var inputs = parse.CommandResult.Children.OfType<ArgumentResult>()
            .SelectMany(a => a.Tokens).Select(t => t.Value).ToList();
        var on = inputs.Count > 0 ? $" on {string.Join(", ", inputs)}" : "";
        error.WriteLine($"vfiokit: internal error in `{(verb.Length > 0 ? verb : "vfiokit")}`{on}: {e.GetType().Name}: {FirstLine(e.Message)}");
        error.WriteLine("vfiokit: this is a defect in vfiokit, not in the input; please report it with the input file" +
            (Environment.GetEnvironmentVariable(DebugVariable) is "1" ? "" : $" ({DebugVariable}=1 prints the stack trace)"));
        if (Environment.GetEnvironmentVariable(DebugVariable) is "1") error.WriteLine(e.ToString());
        return ExitCodes.InternalError;
    }

    private static IEnumerable<string> Verbs(CommandResult? result)
    {
        var names = new List<string>();
        for (var r = result; r is not null && r.Command is not RootCommand; r = r.Parent as CommandResult)
            names.Insert(0, r.Command.Name);
        return names;
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n')[0].Trim();
        return line.Length > 200 ? line[..200] + "..." : line;
    }
}
