using System.Globalization;
using VfioKit.Processes;
using VfioKit.Vm;

namespace VfioKit.Behaviour.Qemu;

/// <summary>The q35 machine type to write: the newest versioned pc-q35-X.Y the installed QEMU offers (>= 4.0, the first
/// whose generic root port advertises a real link), else the "q35" alias (the newest of whatever QEMU runs it).</summary>
public static class QemuMachineTypes
{
    public static readonly MachineVersion Minimum = new(4, 0);

    /// <summary>The newest pc-q35-X.Y >= 4.0 in `qemu-system-x86_64 -machine help` output; null when none.</summary>
    public static string? NewestQ35(string machineHelp)
    {
        string? best = null;
        MachineVersion? bestVersion = null;
        foreach (var line in machineHelp.Split('\n'))
        {
            var name = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (name is null || !name.StartsWith("pc-q35-", StringComparison.Ordinal)) continue;
            if (!Machine.TryParseType(name, out var family, out var version) || family != MachineFamily.Q35 || version is not { } v) continue;
            if (v < Minimum || (bestVersion is { } b && v <= b)) continue;
            best = name;
            bestVersion = v;
        }
        return best;
    }

    /// <summary>Asks <paramref name="binary"/> (argument array, no shell); "q35" when it cannot be run or offers nothing newer than 4.0.</summary>
    public static string Query(string binary = "qemu-system-x86_64")
    {
        try
        {
            var run = ExternalProgram.Run(binary, ["-machine", "help"], TimeSpan.FromSeconds(20));
            return run.Succeeded ? NewestQ35(run.Text) ?? "q35" : "q35";
        }
        catch (ExternalProgramException)
        {
            return "q35";
        }
    }

    internal static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
