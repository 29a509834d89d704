using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>A configuration as read: where from ("-" for stdin), its text and its format.</summary>
public sealed record ConfigDocument(string Path, string Text, ConfigFormat Format)
{
    /// <summary>The 1-based line of a character offset.</summary>
    public int LineOf(int offset)
    {
        var line = 1;
        for (var i = 0; i < offset && i < Text.Length; i++) if (Text[i] == '\n') line++;
        return line;
    }
}
