using System.Text;

namespace VfioKit.Edits;

/// <summary>Applies non-overlapping edits to a text in one pass.</summary>
public static class TextEdits
{
    public static string Apply(string text, IEnumerable<TextEdit> edits)
    {
        var sorted = edits.OrderBy(e => e.Offset).ThenBy(e => e.Length).ToList();
        var result = new StringBuilder(text.Length + 256);
        var at = 0;
        foreach (var edit in sorted)
        {
            if (edit.Offset < at || edit.End > text.Length)
                throw new ArgumentException($"edit at {edit.Offset} overlaps an earlier edit or runs past the end");
            result.Append(text, at, edit.Offset - at).Append(edit.NewText);
            at = edit.End;
        }
        return result.Append(text, at, text.Length - at).ToString();
    }
}
