using VfioKit.Diagnostics;
using VfioKit.Vm;

namespace VfioKit.Formats.Qemu;

/// <summary>
/// The one document of a QEMU configuration (launch script, argument file or argv): the QEMU command's
/// binary word and its options paired with their values, every word with its source span and quoting.
/// The topology (<see cref="QemuArgvReader"/>) and the tuning facts are read from it, and fixes are
/// text edits of its words' spans.
/// </summary>
public sealed class QemuScript
{
    public string Path { get; }
    public string Text { get; }

    /// <summary>The qemu binary's word, or null for a file of options without one.</summary>
    public ShellWord? Binary { get; }

    public IReadOnlyList<QemuArgument> Arguments { get; }

    /// <summary>True for a file of one unquoted argument per line (<see cref="ArgsFile"/>).</summary>
    public bool IsArgsFile { get; }

    /// <summary>What stood where options go but is known only when the script runs ("$@", $1, $(cmd)), in order.</summary>
    public IReadOnlyList<RunTimeValue> Unknowns { get; }

    /// <summary>The script's array assignments (NAME=( ... )), whose elements an edit may change or insert into.</summary>
    public IReadOnlyList<ShellAssignment> Arrays { get; }

    private QemuScript(string path, string text, ShellWord? binary, IReadOnlyList<ShellWord> words, bool isArgsFile,
        IReadOnlyList<RunTimeValue>? unknowns = null, IReadOnlyList<ShellAssignment>? arrays = null)
    {
        Path = path;
        Text = text;
        Binary = binary;
        var found = new List<RunTimeValue>(unknowns ?? []);
        Arguments = Pair(words, found);
        Unknowns = found;
        IsArgsFile = isArgsFile;
        Arrays = arrays ?? [];
    }

    /// <summary>The array assignment whose parentheses hold <paramref name="offset"/>, or null.</summary>
    public ShellAssignment? ArrayAt(int offset) => Arrays.FirstOrDefault(a => a.Start < offset && offset < a.End);

    /// <summary>Reads shell text (script or options file); <paramref name="path"/> names it in errors.</summary>
    public static QemuScript Parse(string path, string text)
    {
        var commands = ShellScriptTokenizer.Tokenize(text, path);
        // One argument per line first: libvirt's logged argv has the binary on a line of its own, which as a
        // script would read as an invocation without arguments.
        if (ArgsFile.TryRead(text, path) is var (binary, lines))
            return new QemuScript(path, text, binary, lines, true);
        var (qemu, words, unknowns) = FindInvocation(commands, path);
        var arrays = commands.SelectMany(c => c.Assignments).Where(a => a.IsArray).ToList();
        return new QemuScript(path, text, qemu, words, false, unknowns, arrays);
    }

    /// <summary>An argv array. A first element that is not an option (the binary) is the binary.</summary>
    public static QemuScript FromArgv(IReadOnlyList<string> argv, string origin = "argv")
    {
        ShellWord? binary = null;
        var words = new List<ShellWord>();
        for (var i = 0; i < argv.Count; i++)
        {
            // The argument index is the "column", so errors point at the word.
            var word = new ShellWord(argv[i], new SourceLocation(origin, 1, i + 1, argv[i]));
            if (i == 0 && QemuOptionTable.Name(argv[0]) is null) binary = word;
            else words.Add(word);
        }
        return new QemuScript(origin, "", binary, words, false);
    }

    /// <summary>Options another tool passes to QEMU as words already split (libvirt's &lt;qemu:arg&gt;, Proxmox's
    /// `args:`), each word keeping where it was read.</summary>
    public static QemuScript FromWords(string path, IReadOnlyList<ShellWord> words) => new(path, "", null, words, false);

    public IEnumerable<QemuArgument> All(params string[] names) => Arguments.Where(a => a.Is(names));

    public static bool IsQemuBinary(string word)
    {
        var name = word[(word.LastIndexOf('/') + 1)..];
        return name.StartsWith("qemu-system-", StringComparison.Ordinal) || name is "qemu-kvm" or "kvm";
    }

    /// <summary>
    /// The QEMU command's words as the shell passes them: each command's words are expanded with the script's
    /// variables as they are at that command (<see cref="ShellVariables"/>; inside a function body, as they are
    /// at the end of the script, where it is called), then the words before the command word (exec, sudo, taskset,
    /// chrt, numactl, env, VAR=value...) are skipped. The command is QEMU when that word is a qemu-system-* (or
    /// qemu-kvm/kvm) word, or a value known only at run time ($QEMU) followed by QEMU options. With several
    /// invocations the one with most arguments wins (scripts often probe `qemu-system-x86_64 --version` first).
    /// Text with no invocation whose commands all start with an option is an arguments file: all its words are options.
    /// </summary>
    private static (ShellWord? Binary, IReadOnlyList<ShellWord> Words, IReadOnlyList<RunTimeValue> Unknowns) FindInvocation(IReadOnlyList<ShellCommand> commands, string origin)
    {
        // Pass 1: the variables at the end of the script, for commands in function bodies.
        var atEnd = new ShellVariables();
        foreach (var command in commands)
            if (!command.AssignmentsArePrefixes) foreach (var a in command.Assignments) atEnd.Assign(a);

        (ShellWord? Binary, List<ShellWord> Words, List<RunTimeValue> Unknowns)? best = null;
        var variables = new ShellVariables();
        var depth = 0;
        foreach (var command in commands)
        {
            var words = command.Words;
            if (words.Count > 0 && words[0] is { Style: QuoteStyle.Bare, Text: "}" }) depth = Math.Max(0, depth - 1);
            var scope = depth > 0 ? atEnd : variables;
            if (words.Count > 0 && (words[0] is { Style: QuoteStyle.Bare, Text: "{" } || words[0].Text == "function" && words[^1] is { Style: QuoteStyle.Bare, Text: "{" })) depth++;
            if (!command.AssignmentsArePrefixes) foreach (var a in command.Assignments) variables.Assign(a);
            if (words.Count == 0) continue;

            var expanded = new List<ShellWord>(words.Count);
            foreach (var word in words)
            {
                // Most words hold no expansion: they are passed as they are, without a list of one each.
                if (word.Expansions.Count == 0) expanded.Add(word);
                else expanded.AddRange(scope.Expand(word));
            }
            var at = CommandPrefixes.CommandWord(expanded);
            if (at >= expanded.Count) continue;
            var unknowns = new List<RunTimeValue>();
            ShellWord? binary;
            if (IsQemuBinary(expanded[at].Text) && expanded[at].Unknown is null) binary = expanded[at];
            else if (expanded[at].Unknown is { } why && expanded.Skip(at + 1).Any(w => w.Unknown is null && w.Text is "-machine" or "-M" or "-device" or "-enable-kvm" or "-accel"))
            {
                binary = null;
                unknowns.Add(new RunTimeValue(expanded[at].Location.Token ?? expanded[at].Text, "the QEMU binary, " + why, expanded[at].Line));
            }
            else
            {
                // A prefix vfiokit does not know (sudo -u user, a wrapper): the first qemu word, as before.
                at = expanded.FindIndex(w => w.Unknown is null && IsQemuBinary(w.Text));
                if (at < 0) continue;
                binary = expanded[at];
            }
            var args = expanded.GetRange(at + 1, expanded.Count - at - 1);
            if (best is null || args.Count > best.Value.Words.Count) best = (binary, args, unknowns);
        }
        if (best is { } b) return b;

        if (commands.Count > 0 && commands.All(c => c.Words.Count > 0 && c.Assignments.Count == 0 && QemuOptionTable.Name(c.Words[0].Text) is not null))
            return (null, commands.SelectMany(c => c.Words).ToList(), []);

        throw new InputException(origin, "no QEMU command line found (expected a qemu-system-* command, or a file of QEMU options)");
    }

    /// <summary>Pairs each option with its value the way QEMU's own parser does: by its table of flags, not by looks.</summary>
    /// <summary>A value known only at run time where an option goes is listed in <paramref name="unknowns"/> and read
    /// around, with the words that follow it up to the next option (its own values, as far as can be told).</summary>
    private static List<QemuArgument> Pair(IReadOnlyList<ShellWord> words, List<RunTimeValue> unknowns)
    {
        var args = new List<QemuArgument>();
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var w = word.Location;
            var name = QemuOptionTable.Name(word.Text);
            if (word.Unknown is { } why || name is null && word.Expansions.Count > 0 && (word.Text.Contains('$') || word.Text.Contains('`')))
            {
                unknowns.Add(new RunTimeValue(w.Token ?? word.Text, word.Unknown ?? "known only at run time", w.Line));
                while (i + 1 < words.Count && words[i + 1].Unknown is null && !QemuOptionTable.IsOption(words[i + 1].Text)) i++;
                continue;
            }
            if (name is null)
                throw new InputException(w.File, w.Line, w.Column, $"'{OptionList.Shorten(word.Text)}' is not a QEMU option (options start with '-')");
            if (QemuOptionTable.IsFlag(name))
            {
                args.Add(new QemuArgument(word, null));
                continue;
            }
            if (i + 1 >= words.Count) throw new InputException(w.File, w.Line, w.Column, $"{word.Text} needs an argument");
            var value = words[++i];
            // A value known only at run time stays a word as written ("$DISK"): what it holds is QEMU's to judge.
            args.Add(new QemuArgument(word, value.Unknown is null ? value : value with { Unknown = null }));
        }
        return args;
    }
}
