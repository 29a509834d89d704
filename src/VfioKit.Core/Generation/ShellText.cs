using System.Text;
using VfioKit.Formats.Qemu;

namespace VfioKit.Generation;

/// <summary>Quoting for generated shell: a word is left bare only when made of characters no shell treats specially,
/// else single-quoted (nothing expands inside single quotes: not $VAR, not $(...), not backquotes).</summary>
public static class ShellText
{
    public static string Quote(string word) => ShellQuoting.Literal(word);

    /// <summary>A value inside a QEMU option list: commas doubled so that "a,b" stays one value.</summary>
    public static string QemuValue(string value) => OptionList.Escape(value);

    /// <summary>Text safe inside a "# comment" line: no line breaks.</summary>
    public static string Comment(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) sb.Append(char.IsControl(c) ? ' ' : c);
        return sb.ToString();
    }
}
