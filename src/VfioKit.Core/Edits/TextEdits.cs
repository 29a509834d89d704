namespace VfioKit.Edits;

/// <summary>Applies non-overlapping edits to a text in one pass.</summary>
public static class TextEdits
{
    public static string Apply(string text, IEnumerable<TextEdit> edits)
    {
        var sorted = edits.OrderBy(e => e.Offset).ThenBy(e => e.Length).ToList();
        var at = 0;
        var length = text.Length;
        foreach (var edit in sorted)
        {
            if (edit.Offset < at || edit.End > text.Length)
                throw new ArgumentException($"edit at {edit.Offset} overlaps an earlier edit or runs past the end");
            length += edit.NewText.Length - edit.Length;
            at = edit.End;
        }
        // Written straight into the result: on a 4 MiB text a builder would hold a second copy of it.
        return string.Create(length, (text, sorted), static (span, state) =>
        {
            var (source, list) = state;
            var from = 0;
            foreach (var edit in list)
            {
                source.AsSpan(from, edit.Offset - from).CopyTo(span);
                span = span[(edit.Offset - from)..];
                edit.NewText.AsSpan().CopyTo(span);
                span = span[edit.NewText.Length..];
                from = edit.End;
            }
            source.AsSpan(from).CopyTo(span);
        });
    }
}
