using System.CommandLine;
using VfioKit.Cli.Lint;
using VfioKit.Diagnostics;
using VfioKit.Rules;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit explain VKnnn`: the rule's page (docs/rules/VKnnn.md, embedded).</summary>
internal static class ExplainCommand
{
    public static Command Create(CliIO io)
    {
        var id = new Argument<string>("rule") { Description = "A rule ID, e.g. VK102." };
        var command = new Command("explain", "Print a lint rule's page: what it checks, why it matters, a bad and a good example, how the fix works.") { id };
        command.SetAction(parse =>
        {
            var wanted = parse.GetValue(id)!.Trim().ToUpperInvariant();
            var rule = RuleCatalog.Find(wanted)
                ?? throw new InputException("rule", $"'{wanted}' is not a vfiokit rule; `vfiokit rules` lists them");
            var page = RulePages.Page(rule.Descriptor.Id)
                ?? throw new InvalidOperationException($"the page of {rule.Descriptor.Id} is missing from the binary");
            io.Out.Write(page);
            return ExitCodes.Ok;
        });
        return command;
    }
}
