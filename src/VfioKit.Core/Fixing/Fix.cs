using VfioKit.Edits;
namespace VfioKit.Fixing;

/// <summary>
/// The repair of one finding: text edits over the original file, so that everything the fix does not
/// name stays byte-identical. <paramref name="Unsafe"/> fixes (e.g. i440fx to q35: Windows re-detects its
/// hardware) are applied only with `fix --unsafe`.
/// </summary>
public sealed record Fix(string Title, IReadOnlyList<TextEdit> Edits, bool Unsafe = false)
{
    public static Fix Of(string title, params TextEdit[] edits) => new(title, edits);
}
