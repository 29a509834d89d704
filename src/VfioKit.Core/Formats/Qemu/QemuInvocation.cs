using VfioKit.Diagnostics;

namespace VfioKit.Formats.Qemu;

/// <summary>
/// Finds QEMU's arguments in tokenized shell text: the words after a qemu-system-* (or qemu-kvm/kvm)
/// word, whatever precedes it (VAR=value prefixes, exec, taskset, sudo...). With several invocations the
/// one with most arguments wins (scripts often probe `qemu-system-x86_64 --version` first). Text with
/// no invocation whose commands all start with an option is an arguments file: all its words are options.
/// </summary>
public static class QemuInvocation
{
    public static IReadOnlyList<QemuArg> Find(IReadOnlyList<ShellCommand> commands, string origin)
    {
        List<QemuArg>? best = null;
        foreach (var command in commands)
        {
            var words = command.Words;
            for (var i = 0; i < words.Count; i++)
            {
                if (!IsQemuBinary(words[i].Text)) continue;
                var args = words.Skip(i + 1).Select(w => new QemuArg(w.Text, w.Location)).ToList();
                if (best is null || args.Count > best.Count) best = args;
                break;
            }
        }
        if (best is not null) return best;

        if (commands.Count > 0 && commands.All(c => QemuOptionTable.Name(c.Words[0].Text) is not null))
            return commands.SelectMany(c => c.Words).Select(w => new QemuArg(w.Text, w.Location)).ToList();

        throw new InputException(origin, "no QEMU command line found (expected a qemu-system-* command, or a file of QEMU options)");
    }

    public static bool HasInvocation(IReadOnlyList<ShellCommand> commands) =>
        commands.Any(c => c.Words.Any(w => IsQemuBinary(w.Text)));

    public static bool IsQemuBinary(string word)
    {
        var name = word[(word.LastIndexOf('/') + 1)..];
        return name.StartsWith("qemu-system-", StringComparison.Ordinal) || name is "qemu-kvm" or "kvm";
    }
}
