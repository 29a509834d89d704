namespace VfioKit.Fixing.Qemu;

/// <summary>
/// The QEMU command of a launch script or argv file: the `qemu-system-*` / `qemu-kvm` word and its
/// arguments, each with its span. Without such a word every word is taken as an argument (an argv file).
/// </summary>
public sealed class QemuScript
{
    /// <summary>Options that take no value (so the next word is the next option).</summary>
    private static readonly HashSet<string> Flags =
    [
        "nodefaults", "nographic", "no-reboot", "no-shutdown", "enable-kvm", "no-hpet", "mem-prealloc", "S",
        "daemonize", "snapshot", "no-user-config", "no-acpi", "full-screen", "no-fd-bootchk", "no-frame", "no-quit",
    ];

    public string Path { get; }
    public string Text { get; }

    /// <summary>The qemu binary's word, or null for an argv file.</summary>
    public ScriptWord? Binary { get; }

    public IReadOnlyList<QemuArgument> Arguments { get; }

    private QemuScript(string path, string text, ScriptWord? binary, IReadOnlyList<QemuArgument> arguments)
    {
        Path = path;
        Text = text;
        Binary = binary;
        Arguments = arguments;
    }

    public static QemuScript Parse(string path, string text)
    {
        var commands = ScriptWords.Commands(path, text);
        foreach (var words in commands)
        {
            for (var i = 0; i < words.Count; i++)
            {
                var name = words[i].Value[(words[i].Value.LastIndexOf('/') + 1)..];
                if (name.StartsWith("qemu-system", StringComparison.Ordinal) || name == "qemu-kvm" || name.StartsWith("kvm", StringComparison.Ordinal) && name.Length <= 4)
                    return new QemuScript(path, text, words[i], Pair(words.Skip(i + 1).ToList()));
            }
        }
        return new QemuScript(path, text, null, Pair(commands.SelectMany(c => c).ToList()));
    }

    public IEnumerable<QemuArgument> All(params string[] names) => Arguments.Where(a => a.Is(names));

    private static List<QemuArgument> Pair(List<ScriptWord> words)
    {
        var args = new List<QemuArgument>();
        for (var i = 0; i < words.Count; i++)
        {
            var w = words[i];
            if (!w.Value.StartsWith('-') || w.Value.Length < 2) continue;
            var name = w.Value.TrimStart('-');
            if (Flags.Contains(name) || i + 1 >= words.Count || words[i + 1].Value.StartsWith('-') && words[i + 1].Value.Length > 1 && !IsNegativeNumber(words[i + 1].Value))
            {
                args.Add(new QemuArgument(w, null));
                continue;
            }
            args.Add(new QemuArgument(w, words[i + 1]));
            i++;
        }
        return args;
    }

    private static bool IsNegativeNumber(string s) => s.Length > 1 && s[0] == '-' && char.IsAsciiDigit(s[1]);
}
