using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using VfioKit.Cli.Lint;
using VfioKit.Formats;
using VfioKit.Rules;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit rules [--json]`: the lint rule catalog.</summary>
internal static class RulesCommand
{
    public static Command Create(CliIO io)
    {
        var json = new Option<bool>("--json") { Description = "Print the catalog as JSON." };
        var command = new Command("rules", "List every lint rule: ID, severity, formats, whether it needs --host and whether `fix` repairs it.") { json };
        command.SetAction(parse =>
        {
            var rules = RuleCatalog.Descriptors;
            if (parse.GetValue(json))
            {
                var list = rules.Select(d => new RuleJson(d.Id, d.Severity.Name(), d.Title, d.Why,
                    Names(d.Formats), d.NeedsHost, d.Fixable, d.Help, Names(d.FixFormats))).ToList();
                io.Out.WriteLine(JsonSerializer.Serialize(new RulesJson(list), LintJsonContext.Default.RulesJson));
                return ExitCodes.Ok;
            }
            var table = new Table().Border(TableBorder.Simple);
            table.AddColumns("rule", "severity", "what it finds", "formats", "needs", "fix");
            foreach (var d in rules)
                table.AddRow(d.Id, d.Severity.Name(), Markup.Escape(d.Title),
                    string.Join(",", Names(d.Formats)),
                    d.NeedsHost ? "--host" : "", d.FixFormats == d.Formats ? "yes" : string.Join(",", Names(d.FixFormats)));
            io.Console.Write(table);
            io.Out.WriteLine("`vfiokit explain VKnnn` prints a rule's page.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static List<string> Names(ConfigFormats formats) => ConfigFormatNames.All.Where(f => formats.Includes(f)).Select(f => f.Name()).ToList();
}
