using System.Text;

namespace VfioKit.Formats.Qemu;

/// <summary>
/// The variables of a script as the shell has them at one point, and the expansion of words with them.
/// Small but sound: plain and array assignments (NAME=value, NAME=( ... ), NAME+=...) are tracked in order;
/// "${NAME[@]}", "${NAME[*]}", $NAME (unquoted: split at blanks) and "$NAME" are expanded; ${NAME} inside a
/// word (host=${GPU}.1) is resolved when the variable has one known value. What only the running shell
/// knows ("$@", $1, $(cmd), a variable never set in the script) comes back as a word marked
/// <see cref="ShellWord.Unknown"/>. A word that is text of the file keeps its span (an array element, a
/// variable's value word), so an edit lands where it was written; a piece of a value split at blanks has none.
/// </summary>
internal sealed class ShellVariables
{
    private readonly Dictionary<string, List<ShellWord>> _values;

    public ShellVariables() => _values = new(StringComparer.Ordinal);

    private ShellVariables(Dictionary<string, List<ShellWord>> values) => _values = new(values, StringComparer.Ordinal);

    public ShellVariables Copy() => new(_values);

    public void Assign(ShellAssignment a)
    {
        List<ShellWord> items = a.IsArray
            ? a.Elements!.SelectMany(Expand).ToList()
            : [Joined(a.Value!, ExpandUnsplit(a.Value!))];
        if (a.Append && _values.TryGetValue(a.Name, out var old))
        {
            if (a.IsArray) items = [.. old, .. items];
            else if (old.Count > 0)
                items = [Joined(a.Value!, [old[0], items[0]], ""), .. old.Skip(1)];
        }
        _values[a.Name] = items;
    }

    /// <summary>The words the command receives for <paramref name="word"/>.</summary>
    public List<ShellWord> Expand(ShellWord word)
    {
        if (word.Expansions.Count == 0 || word.Style == QuoteStyle.Line) return [word];
        if (word.Expansions.Count == 1 && word.Text == word.Expansions[0].Raw) return Whole(word, word.Expansions[0], split: !word.Expansions[0].InDoubleQuotes);
        return [Substitute(word)];
    }

    /// <summary>An assignment's value: expanded without word splitting.</summary>
    private List<ShellWord> ExpandUnsplit(ShellWord word) =>
        word.Expansions.Count == 1 && word.Text == word.Expansions[0].Raw ? Whole(word, word.Expansions[0], split: false) : [Substitute(word)];

    private List<ShellWord> Whole(ShellWord word, ShellExpansion e, bool split)
    {
        if (Reference(e.Raw) is not var (name, index)) return [word with { Unknown = Why(e.Raw) }];
        if (name is "@" or "*" || char.IsAsciiDigit(name[0])) return [word with { Unknown = "the script's arguments" }];
        if (name is "#" or "?" or "$" or "!" or "-") return [word with { Unknown = "set by the shell" }];
        if (!_values.TryGetValue(name, out var items)) return [word with { Unknown = $"{name} is not set in the script" }];
        switch (index)
        {
            case "@" when e.InDoubleQuotes:
                return [.. items];
            case "*" when e.InDoubleQuotes:
                return [Joined(word, items)];
            case "@" or "*":
                return items.SelectMany(Split).ToList();
            default:
                if (items.Count == 0) return split ? [] : [Derived(word, "", null)];
                return split ? Split(items[0]) : [items[0]];
        }
    }

    /// <summary>${NAME} and $NAME inside a word replaced by the variable's one known value; anything else stays as written.</summary>
    private ShellWord Substitute(ShellWord word)
    {
        var text = word.Text;
        var sb = new StringBuilder();
        var at = 0;
        foreach (var e in word.Expansions)
        {
            var found = text.IndexOf(e.Raw, at, StringComparison.Ordinal);
            if (found < 0) continue;
            sb.Append(text, at, found - at);
            at = found + e.Raw.Length;
            if (Reference(e.Raw) is ({ } name, null or "0") && _values.TryGetValue(name, out var items) && items.Count == 1
                && items[0] is { Unknown: null } value && !Symbolic(value) && (e.InDoubleQuotes || !value.Text.Any(IsBlank)))
                sb.Append(value.Text);
            else
                sb.Append(e.Raw);
        }
        sb.Append(text, at, text.Length - at);
        var resolved = sb.ToString();
        return resolved == text ? word : word with { Text = resolved, Written = word.Written };
    }

    /// <summary>An unquoted value split at blanks: the value's own word when there is nothing to split.</summary>
    private static List<ShellWord> Split(ShellWord item)
    {
        if (item.Unknown is not null) return [item];
        if (!item.Text.Any(IsBlank)) return item.Text.Length == 0 ? [] : [item];
        if (Symbolic(item)) return [item with { Unknown = "a value split at run time" }];
        var words = new List<ShellWord>();
        var i = 0;
        while (i < item.Text.Length)
        {
            if (IsBlank(item.Text[i])) { i++; continue; }
            var start = i;
            while (i < item.Text.Length && !IsBlank(item.Text[i])) i++;
            var token = item.Text[start..i];
            // A piece of a value: it has no span of its own (an edit of it is declined), but its own column, so
            // two options split from one value are two places.
            words.Add(new ShellWord(token, item.Location with { Column = item.Location.Column + start, Token = token }));
        }
        return words;
    }

    /// <summary>One word made of several values (a joined array, a += append): not editable in place.</summary>
    private static ShellWord Joined(ShellWord at, IReadOnlyList<ShellWord> parts, string separator = " ")
    {
        if (parts.Count == 1) return parts[0];
        var unknown = parts.FirstOrDefault(p => p.Unknown is not null)?.Unknown;
        return Derived(at, string.Join(separator, parts.Select(p => p.Text)), unknown);
    }

    private static ShellWord Derived(ShellWord at, string text, string? unknown) =>
        new(text, at.Location) { Unknown = unknown };

    /// <summary>A value that still holds an expansion vfiokit could not resolve.</summary>
    private static bool Symbolic(ShellWord w) => w.Expansions.Count > 0 && (w.Text.Contains('$') || w.Text.Contains('`'));

    private static bool IsBlank(char c) => c is ' ' or '\t' or '\n';

    private static string Why(string raw) =>
        raw.StartsWith("$(", StringComparison.Ordinal) || raw.StartsWith('`') ? "a command's output" : "a parameter expansion";

    /// <summary>The variable and index of $NAME, ${NAME}, ${NAME[@]}, ${NAME[*]}, ${NAME[0]}, $1, $@...; null for any other form.</summary>
    private static (string Name, string? Index)? Reference(string raw)
    {
        if (raw.Length < 2 || raw[0] != '$') return null;
        if (raw[1] != '{') return raw[1] == '(' ? null : (raw[1..], null);
        if (raw[^1] != '}') return null;
        var inner = raw[2..^1];
        string? index = null;
        var bracket = inner.IndexOf('[');
        if (bracket > 0 && inner[^1] == ']')
        {
            index = inner[(bracket + 1)..^1];
            inner = inner[..bracket];
        }
        if (index is not (null or "@" or "*" or "0")) return null;
        var simple = inner.Length > 0 && (inner.All(char.IsAsciiDigit) || inner is "@" or "*" or "#" or "?" or "$" or "!" or "-"
            || (char.IsAsciiLetter(inner[0]) || inner[0] == '_') && inner.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'));
        return simple ? (inner, index) : null;
    }
}
