using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VfioKit.Cli.Json;

/// <summary>
/// What a verb asked for JSON (--json, --format json) prints on stdout when it cannot run: one object, so a
/// script that parses stdout gets an answer instead of nothing (schema: docs/json/error.md).
/// </summary>
internal sealed record ErrorJson(ErrorBodyJson Error);

/// <param name="ExitCode">The process exit code (2 bad input, 3 environment).</param>
/// <param name="Kind">"bad-input" or "environment".</param>
/// <param name="Message">The message stderr shows, without the "vfiokit: " prefix.</param>
/// <param name="Origin">The file, "-" for stdin, or the option the error is about; null when none.</param>
/// <param name="Line">1-based line in <paramref name="Origin"/>, or null.</param>
/// <param name="Column">1-based column, or null.</param>
internal sealed record ErrorBodyJson(int ExitCode, string Kind, string Message, string? Origin, int? Line, int? Column);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ErrorJson))]
internal sealed partial class ErrorJsonContext : JsonSerializerContext;

internal static class ErrorOutput
{
    /// <summary>True when the command line asks for JSON output: --json, or --format json / --format=json.</summary>
    public static bool JsonAsked(ParseResult parse)
    {
        var tokens = parse.Tokens.Select(t => t.Value).ToList();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] == "--json" || tokens[i] == "--format=json") return true;
            if (tokens[i] == "--format" && i + 1 < tokens.Count && tokens[i + 1] == "json") return true;
        }
        return false;
    }

    /// <summary>Writes the error object to <paramref name="output"/> when the command line asked for JSON.</summary>
    public static void WriteIfAsked(ParseResult parse, TextWriter? output, int exitCode, string message, string? origin = null, int? line = null, int? column = null)
    {
        if (output is null || !JsonAsked(parse)) return;
        var kind = exitCode == ExitCodes.Environment ? "environment" : "bad-input";
        output.WriteLine(JsonSerializer.Serialize(new ErrorJson(new ErrorBodyJson(exitCode, kind, message, origin, line, column)), ErrorJsonContext.Default.ErrorJson));
    }
}
