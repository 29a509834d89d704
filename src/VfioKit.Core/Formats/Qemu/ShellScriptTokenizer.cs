using System.Text;
using VfioKit.Diagnostics;
using VfioKit.Vm;

namespace VfioKit.Formats.Qemu;

/// <summary>
/// Splits POSIX shell text into simple commands and words, the way sh would before expansion:
/// backslash-newline continuations, # comments, '...' and "..." quoting, backslash escapes,
/// and ; &amp; | &amp;&amp; || ( ) newline as command separators. Redirections are dropped.
/// Assignments before a command's word (NAME=value, NAME+=value, NAME=( ... ), NAME+=( ... ), also after
/// then/do/else/{ and in export/local/declare) are <see cref="ShellCommand.Assignments"/>, not words; an
/// array's elements are words with their own spans, so an edit can land inside the array.
/// Expansions are kept symbolic. Unbalanced quotes or substitutions are an <see cref="InputException"/>.
/// This is vfiokit's only shell reader: the topology, the tuning facts and the fixes all read its words,
/// whose spans are where edits go.
/// </summary>
public static class ShellScriptTokenizer
{
    public static IReadOnlyList<ShellCommand> Tokenize(string text, string origin)
    {
        // Format detection and the QEMU reader tokenize the same text one after the other (lint, fix): the last
        // result is kept, one only, and handed out again for the same string and origin. Commands and words are
        // immutable, so sharing them is safe; a race between threads only costs a second tokenizing.
        if (Volatile.Read(ref _last) is { } last && ReferenceEquals(last.Text, text) && last.Origin == origin) return last.Commands;
        var commands = new Scanner(text, origin).Run();
        Volatile.Write(ref _last, new Tokenized(text, origin, commands));
        return commands;
    }

    private static Tokenized? _last;

    private sealed record Tokenized(string Text, string Origin, IReadOnlyList<ShellCommand> Commands);

    private sealed class Scanner(string text, string origin)
    {
        private int _pos;
        private int _line = 1;
        private int _lineStart;
        private readonly List<ShellCommand> _commands = [];
        private readonly List<ShellWord> _words = [];
        private readonly List<ShellAssignment> _assignments = [];
        private bool _dropNextWord;

        // One buffer for the word being read and one for its expansions, reused word after word: a 4 MiB script
        // has some 150,000 words.
        private readonly StringBuilder _sb = new();
        private readonly List<ShellExpansion> _expansions = [];

        /// <summary>Words that keep the next word in assignment position: reserved words that start a command
        /// list, and the declaration builtins whose arguments are assignments.</summary>
        private static readonly HashSet<string> Transparent = ["then", "do", "else", "{", "!", "export", "local", "declare", "typeset", "readonly"];

        public IReadOnlyList<ShellCommand> Run()
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
                if (ReadWord() is not { } word) continue;
                if (_dropNextWord) { _dropNextWord = false; continue; }
                if (InAssignmentPosition && Assignment(word) is { } assignment) { _assignments.Add(assignment); continue; }
                _words.Add(word);
            }
            EndCommand();
            return _commands.AsReadOnly();
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
            if (_words.Count > 0 || _assignments.Count > 0)
                _commands.Add(new ShellCommand(new ValueList<ShellWord>(_words))
                {
                    Assignments = new ValueList<ShellAssignment>(_assignments),
                    AssignmentsArePrefixes = _assignments.Count > 0 && !InAssignmentPosition,
                });
            _words.Clear();
            _assignments.Clear();
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

        /// <summary>True while every word of the command so far is a reserved word, a declaration builtin or its option.</summary>
        private bool InAssignmentPosition
        {
            get
            {
                foreach (var w in _words)
                    if (!(w.Style == QuoteStyle.Bare && (Transparent.Contains(w.Text) || w.Text.StartsWith('-') && _words[0].Text is "export" or "local" or "declare" or "typeset" or "readonly")))
                        return false;
                return true;
            }
        }

        /// <summary>NAME=value, NAME+=value, NAME=( ... ) or NAME+=( ... ) starting with <paramref name="word"/>; null when the word is no assignment.</summary>
        private ShellAssignment? Assignment(ShellWord word)
        {
            var raw = word.Location.Token!;
            var eq = raw.IndexOf('=');
            if (eq <= 0) return null;
            var nameEnd = raw[eq - 1] == '+' ? eq - 1 : eq;
            var name = raw[..nameEnd];
            if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_') || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_')) return null;
            var append = nameEnd < eq;
            var prefix = eq + 1;
            if (prefix == raw.Length && _pos < text.Length && text[_pos] == '(')
                return new ShellAssignment(name, append, null, ReadArray(), word.Location, word.Start, _pos);
            var valueStart = word.Start + prefix;
            var style = valueStart < word.End ? text[valueStart] switch { '\'' => QuoteStyle.Single, '"' => QuoteStyle.Double, _ => QuoteStyle.Bare } : QuoteStyle.Bare;
            var location = word.Location with { Column = word.Location.Column + prefix, Token = raw[prefix..] };
            var value = new ShellWord(word.Text[prefix..], location, valueStart, word.End, style) { Expansions = word.Expansions };
            return new ShellAssignment(name, append, value, null, word.Location, word.Start, word.End);
        }

        /// <summary>The words of an array assignment, from its '(' to its ')'; newlines and comments may stand between them.</summary>
        private ValueList<ShellWord> ReadArray()
        {
            var (line, column) = (_line, Column);
            _pos++;
            var elements = new List<ShellWord>();
            while (true)
            {
                if (_pos >= text.Length) throw Error(line, column, "unterminated array: '(' without ')'");
                var c = text[_pos];
                if (c is ' ' or '\t' or '\r') { _pos++; continue; }
                if (c == '\n') { Newline(1); continue; }
                if (c == '\\' && Peek(1) == '\n') { Newline(2); continue; }
                if (c == '\\' && Peek(1) == '\r' && Peek(2) == '\n') { Newline(3); continue; }
                if (c == '#') { SkipComment(); continue; }
                if (c == ')') { _pos++; return new ValueList<ShellWord>(elements); }
                if (c is ';' or '|' or '&' or '(' or '<' or '>') throw Error(_line, Column, $"'{c}' inside an array assignment");
                if (ReadWord() is { } word) elements.Add(word);
            }
        }

        private ShellWord? ReadWord()
        {
            var startLine = _line;
            var startColumn = Column;
            var start = _pos;
            var sb = _sb.Clear();
            var expansions = _expansions;
            expansions.Clear();
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
            if (_pos < text.Length && text[_pos] is '<' or '>' && _pos > start && text[start.._pos].All(char.IsDigit)) return null;

            var raw = text[start.._pos];
            var style = text[start] switch { '\'' => QuoteStyle.Single, '"' => QuoteStyle.Double, _ => QuoteStyle.Bare };
            // A word without quotes or backslashes reads as written: its text is the raw string, not a copy.
            var value = sb.Equals(raw.AsSpan()) ? raw : sb.ToString();
            return new ShellWord(value, new SourceLocation(origin, startLine, startColumn, raw), start, _pos, style)
            {
                Expansions = expansions.Count == 0 ? ValueList<ShellExpansion>.Empty : new ValueList<ShellExpansion>(expansions),
            };
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
