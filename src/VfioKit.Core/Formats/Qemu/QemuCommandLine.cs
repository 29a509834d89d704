using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;

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
    public static VmTopology Parse(string text, string origin) => Read(QemuScript.Parse(origin, text));

    /// <summary>The placed topology of a parsed script; see <see cref="QemuArgvReader.Read"/> for <paramref name="readAround"/>.</summary>
    public static VmTopology Read(QemuScript script, List<UnknownBus>? readAround = null) =>
        QemuAddressing.Place(QemuArgvReader.Read(script.Arguments, readAround)) with { RunTime = new ValueList<RunTimeValue>(script.Unknowns) };

    /// <summary>Reads an argv array. A first element that is not an option (the binary) is skipped.</summary>
    public static VmTopology FromArgv(IReadOnlyList<string> argv, string origin = "argv") => Read(QemuScript.FromArgv(argv, origin));

    /// <summary>Options to pass after the binary (not quoted: for ProcessStartInfo.ArgumentList).</summary>
    public static IReadOnlyList<string> ToArgv(VmTopology topology) => QemuArgvWriter.Write(topology);

    /// <summary>A POSIX launch script running <paramref name="binary"/> with the topology's options.</summary>
    public static string ToScript(VmTopology topology, string binary = "qemu-system-x86_64") =>
        QemuArgvWriter.WriteScript(topology, binary);
}
