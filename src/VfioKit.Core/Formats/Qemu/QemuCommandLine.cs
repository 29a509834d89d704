using VfioKit.Vm;

namespace VfioKit.Formats.Qemu;

/// <summary>
/// Reads and writes QEMU command lines. Input can be an argv array, a file of options, or a launch
/// script (the qemu-system-* invocation is found in it). Every device comes back placed the way QEMU
/// places it (<see cref="QemuAddressing"/>), with the machine's own devices marked implicit.
/// </summary>
public static class QemuCommandLine
{
    /// <summary>Reads a file: a launch script, a libvirt .args file or a file of options.</summary>
    public static VmTopology Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses shell text (script or options file); <paramref name="origin"/> names it in errors.</summary>
    public static VmTopology Parse(string text, string origin)
    {
        var commands = ShellScriptTokenizer.Tokenize(text, origin);
        // One argument per line first: libvirt's logged argv has the binary on a line of its own, which as a
        // script would read as an invocation without arguments.
        var args = ArgsFile.TryRead(text, origin) ?? QemuInvocation.Find(commands, origin);
        return QemuAddressing.Place(QemuArgvReader.Read(args));
    }

    /// <summary>Reads an argv array. A first element that is not an option (the binary) is skipped.</summary>
    public static VmTopology FromArgv(IReadOnlyList<string> argv, string origin = "argv")
    {
        var args = new List<QemuArg>();
        for (var i = 0; i < argv.Count; i++)
        {
            if (i == 0 && QemuOptionTable.Name(argv[0]) is null) continue;
            args.Add(new QemuArg(argv[i], new SourceLocation(origin, 1, 0, argv[i]) { }));
        }
        // Report the argument index as the "column" so errors point at the word.
        for (var i = 0; i < args.Count; i++)
            args[i] = args[i] with { Location = new SourceLocation(origin, 1, i + 1, args[i].Text) };
        return QemuAddressing.Place(QemuArgvReader.Read(args));
    }

    /// <summary>Options to pass after the binary (not quoted: for ProcessStartInfo.ArgumentList).</summary>
    public static IReadOnlyList<string> ToArgv(VmTopology topology) => QemuArgvWriter.Write(topology);

    /// <summary>A POSIX launch script running <paramref name="binary"/> with the topology's options.</summary>
    public static string ToScript(VmTopology topology, string binary = "qemu-system-x86_64") =>
        QemuArgvWriter.WriteScript(topology, binary);
}
