using System.Text;
using VfioKit.Diagnostics;
using VfioKit.Vm;

namespace VfioKit.Formats.Qemu;

/// <summary>
/// Splits POSIX shell text into simple commands and words, the way sh would before expansion:
/// backslash-newline continuations, # comments, '...' and "..." quoting, backslash escapes,
/// and ; &amp; | &amp;&amp; || ( ) newline as command separators. Redirections are dropped.
/// Expansions are kept symbolic. Unbalanced quotes or substitutions are an <see cref="InputException"/>.
/// This is vfiokit's only shell reader: the topology, the tuning facts and the fixes all read its words,
/// whose spans are where edits go.
/// </summary>
public static class ShellScriptTokenizer
{
    public static IReadOnlyList<ShellCommand> Tokenize(string text, string origin)
    {
        var state = new Scanner(text, origin);
        return state.Run();
    }

    private sealed class Scanner(string text, string origin)
    {
        private int _pos;
        private int _line = 1;
        private int _lineStart;
        private readonly List<ShellCommand> _commands = [];
        private readonly List<ShellWord> _words = [];
        private bool _dropNextWord;

        public List<ShellCommand> Run()
        {
            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (c is ' ' or '\t' or '\r') { _pos++; continue; }
                if (c == '\\' && Peek(1) == '\n') { Newline(2); continue; }
                if (c == '\\' && Peek(1) == '\r' && Peek(2) == '\n') { Newline(3); continue; }
                if (c == '\n') { EndCommand(); Newline(1); continue; }
                if (c == '#') { SkipComment(); continue; }
                if (c is ';' or '|' or '&' or '(' or ')')
                {
                    if (c == '&' && Peek(1) == '>') { _pos += Peek(2) == '>' ? 3 : 2; _dropNextWord = true; continue; }
                    EndCommand();
                    _pos += (c is '|' or '&' or ';') && Peek(1) == c ? 2 : 1;
                    continue;
                }
                if (c is '<' or '>') { SkipRedirection(); continue; }
                ReadWord();
            }
            EndCommand();
            return _commands;
        }

        private char Peek(int ahead) => _pos + ahead < text.Length ? text[_pos + ahead] : '\0';

        private int Column => _pos - _lineStart + 1;

        private void Newline(int consumed)
        {
            _pos += consumed;
            _line++;
            _lineStart = _pos;
        }

        private void SkipComment()
        {
            while (_pos < text.Length && text[_pos] != '\n') _pos++;
        }

        private void EndCommand()
        {
            if (_words.Count > 0) _commands.Add(new ShellCommand(new ValueList<ShellWord>(_words)));
            _words.Clear();
            _dropNextWord = false;
        }

        private void SkipRedirection()
        {
            while (_pos < text.Length && text[_pos] is '<' or '>') _pos++;
            if (_pos < text.Length && text[_pos] == '&')
            {
                // ">&2", "2>&1", ">&-": duplicating a descriptor, no file word follows.
                _pos++;
                while (_pos < text.Length && (char.IsDigit(text[_pos]) || text[_pos] == '-')) _pos++;
                return;
            }
            _dropNextWord = true;
        }

        private InputException Error(int line, int column, string message) => new(origin, line, column, message);

        private void ReadWord()
        {
            var startLine = _line;
            var startColumn = Column;
            var start = _pos;
            var sb = new StringBuilder();
            var expansions = new List<ShellExpansion>();
            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (c is ' ' or '\t' or '\r' or '\n' or ';' or '|' or '&' or '(' or ')' or '<' or '>') break;
                if (c == '\\')
                {
                    if (Peek(1) == '\n') { Newline(2); continue; }
                    if (Peek(1) == '\r' && Peek(2) == '\n') { Newline(3); continue; }
                    // A backslash at the very end escapes nothing; sh drops it.
                    if (_pos + 1 >= text.Length) { _pos++; continue; }
                    sb.Append(text[_pos + 1]);
                    _pos += 2;
                    continue;
                }
                if (c == '\'')
                {
                    var qLine = _line; var qCol = Column;
                    var end = text.IndexOf('\'', _pos + 1);
                    if (end < 0) throw Error(qLine, qCol, "unterminated single quote (') starting here");
                    var quoted = text[(_pos + 1)..end];
                    sb.Append(quoted);
                    CountLines(_pos, end + 1);
                    _pos = end + 1;
                    continue;
                }
                if (c == '"') { ReadDoubleQuoted(sb, expansions); continue; }
                if (c == '$' || c == '`') { ReadExpansion(sb, expansions, false); continue; }
                sb.Append(c);
                _pos++;
            }

            // "2>file": the digits before a redirection are a descriptor, not a word.
            if (_pos < text.Length && text[_pos] is '<' or '>' && _pos > start && text[start.._pos].All(char.IsDigit)) return;

            var raw = text[start.._pos];
            if (_dropNextWord) { _dropNextWord = false; return; }
            var style = text[start] switch { '\'' => QuoteStyle.Single, '"' => QuoteStyle.Double, _ => QuoteStyle.Bare };
            _words.Add(new ShellWord(sb.ToString(), new SourceLocation(origin, startLine, startColumn, raw), start, _pos, style)
            {
                Expansions = new ValueList<ShellExpansion>(expansions),
            });
        }

        private void CountLines(int from, int to)
        {
            for (var i = from; i < to; i++)
                if (text[i] == '\n') { _line++; _lineStart = i + 1; }
        }

        private void ReadDoubleQuoted(StringBuilder sb, List<ShellExpansion> expansions)
        {
            var qLine = _line; var qCol = Column;
            _pos++;
            while (true)
            {
                if (_pos >= text.Length) throw Error(qLine, qCol, "unterminated double quote (\") starting here");
                var c = text[_pos];
                if (c == '"') { _pos++; return; }
                if (c == '\\' && _pos + 1 < text.Length)
                {
                    var n = text[_pos + 1];
                    if (n == '\n') { Newline(2); continue; }
                    if (n is '"' or '\\' or '$' or '`') { sb.Append(n); _pos += 2; continue; }
                    sb.Append(c);
                    _pos++;
                    continue;
                }
                if (c == '$' || c == '`') { ReadExpansion(sb, expansions, true); continue; }
                if (c == '\n') { sb.Append(c); Newline(1); continue; }
                sb.Append(c);
                _pos++;
            }
        }

        /// <summary>Copies $NAME, ${...}, $(...), $((...)) or `...` as written, and lists it when it is an expansion.</summary>
        private void ReadExpansion(StringBuilder sb, List<ShellExpansion> expansions, bool inDoubleQuotes)
        {
            var from = _pos;
            if (Expansion(sb)) expansions.Add(new ShellExpansion(text[from.._pos], inDoubleQuotes));
        }

        private bool Expansion(StringBuilder sb)
        {
            var eLine = _line; var eCol = Column;
            var c = text[_pos];
            if (c == '`')
            {
                var end = text.IndexOf('`', _pos + 1);
                if (end < 0) throw Error(eLine, eCol, "unterminated command substitution (`) starting here");
                sb.Append(text, _pos, end + 1 - _pos);
                CountLines(_pos, end + 1);
                _pos = end + 1;
                return true;
            }
            var next = Peek(1);
            if (next is '{' or '(')
            {
                var close = next == '{' ? '}' : ')';
                var depth = 0;
                var i = _pos + 1;
                for (; i < text.Length; i++)
                {
                    if (text[i] == next) depth++;
                    else if (text[i] == close && --depth == 0) break;
                }
                if (i >= text.Length) throw Error(eLine, eCol, $"unterminated ${next} starting here (missing '{close}')");
                sb.Append(text, _pos, i + 1 - _pos);
                CountLines(_pos, i + 1);
                _pos = i + 1;
                return true;
            }
            if (char.IsLetter(next) || next == '_')
            {
                var i = _pos + 1;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                sb.Append(text, _pos, i - _pos);
                _pos = i;
                return true;
            }
            if (char.IsDigit(next) || next is '@' or '*' or '#' or '?' or '$' or '!' or '-')
            {
                sb.Append(text, _pos, 2);
                _pos += 2;
                return true;
            }
            // A lone '$' is literal.
            sb.Append('$');
            _pos++;
            return false;
        }
    }
}
