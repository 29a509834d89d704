namespace VfioKit.Edits;

/// <summary>Replace <paramref name="Length"/> characters at <paramref name="Offset"/> of the original text with
/// <paramref name="NewText"/> (Length 0 inserts). Offsets always refer to the text as read.</summary>
public readonly record struct TextEdit(int Offset, int Length, string NewText)
{
    public int End => Offset + Length;

    public static TextEdit Insert(int offset, string text) => new(offset, 0, text);

    public bool Overlaps(TextEdit other) =>
        // Two insertions at one point conflict too: their order would be arbitrary.
        Offset < other.End && other.Offset < End || Offset == other.Offset;
}
