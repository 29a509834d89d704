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

    private QemuScript(string path, string text, ShellWord? binary, IReadOnlyList<QemuArgument> arguments, bool isArgsFile)
    {
        Path = path;
        Text = text;
        Binary = binary;
        Arguments = arguments;
        IsArgsFile = isArgsFile;
    }

    /// <summary>Reads shell text (script or options file); <paramref name="path"/> names it in errors.</summary>
    public static QemuScript Parse(string path, string text)
    {
        var commands = ShellScriptTokenizer.Tokenize(text, path);
        // One argument per line first: libvirt's logged argv has the binary on a line of its own, which as a
        // script would read as an invocation without arguments.
        if (ArgsFile.TryRead(text, path) is var (binary, lines))
            return new QemuScript(path, text, binary, Pair(lines), true);
        var (qemu, words) = FindInvocation(commands, path);
        return new QemuScript(path, text, qemu, Pair(words), false);
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
        return new QemuScript(origin, "", binary, Pair(words), false);
    }

    /// <summary>Options another tool passes to QEMU as words already split (libvirt's &lt;qemu:arg&gt;, Proxmox's
    /// `args:`), each word keeping where it was read.</summary>
    public static QemuScript FromWords(string path, IReadOnlyList<ShellWord> words) => new(path, "", null, Pair(words), false);

    public IEnumerable<QemuArgument> All(params string[] names) => Arguments.Where(a => a.Is(names));

    public static bool IsQemuBinary(string word)
    {
        var name = word[(word.LastIndexOf('/') + 1)..];
        return name.StartsWith("qemu-system-", StringComparison.Ordinal) || name is "qemu-kvm" or "kvm";
    }

    /// <summary>
    /// The words after a qemu-system-* (or qemu-kvm/kvm) word, whatever precedes it (VAR=value prefixes, exec,
    /// taskset, sudo...). With several invocations the one with most arguments wins (scripts often probe
    /// `qemu-system-x86_64 --version` first). Text with no invocation whose commands all start with an option
    /// is an arguments file: all its words are options.
    /// </summary>
    private static (ShellWord? Binary, IReadOnlyList<ShellWord> Words) FindInvocation(IReadOnlyList<ShellCommand> commands, string origin)
    {
        (ShellWord Binary, List<ShellWord> Words)? best = null;
        foreach (var command in commands)
        {
            var words = command.Words;
            for (var i = 0; i < words.Count; i++)
            {
                if (!IsQemuBinary(words[i].Text)) continue;
                var args = words.Skip(i + 1).ToList();
                if (best is null || args.Count > best.Value.Words.Count) best = (words[i], args);
                break;
            }
        }
        if (best is { } b) return b;

        if (commands.Count > 0 && commands.All(c => QemuOptionTable.Name(c.Words[0].Text) is not null))
            return (null, commands.SelectMany(c => c.Words).ToList());

        throw new InputException(origin, "no QEMU command line found (expected a qemu-system-* command, or a file of QEMU options)");
    }

    /// <summary>Pairs each option with its value the way QEMU's own parser does: by its table of flags, not by looks.</summary>
    private static List<QemuArgument> Pair(IReadOnlyList<ShellWord> words)
    {
        var args = new List<QemuArgument>();
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var w = word.Location;
            var name = QemuOptionTable.Name(word.Text)
                ?? throw new InputException(w.File, w.Line, w.Column, $"'{OptionList.Shorten(word.Text)}' is not a QEMU option (options start with '-')");
            if (QemuOptionTable.IsFlag(name))
            {
                args.Add(new QemuArgument(word, null));
                continue;
            }
            if (i + 1 >= words.Count) throw new InputException(w.File, w.Line, w.Column, $"{word.Text} needs an argument");
            args.Add(new QemuArgument(word, words[++i]));
        }
        return args;
    }
}
