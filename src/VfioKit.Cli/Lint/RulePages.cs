namespace VfioKit.Cli.Lint;

/// <summary>The rule pages docs/rules/VKnnn.md, embedded in the binary so `vfiokit explain` prints the same text.</summary>
internal static class RulePages
{
    public static string? Page(string id)
    {
        using var stream = typeof(RulePages).Assembly.GetManifestResourceStream($"rules/{id}.md");
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
