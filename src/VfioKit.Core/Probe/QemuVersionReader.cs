using VfioKit.Processes;
using VfioKit.Vm;

namespace VfioKit.Probe;

/// <summary>The version of the QEMU that boots the probe, so the prediction is made for that QEMU.</summary>
public static class QemuVersionReader
{
    /// <summary>Runs `qemu-system-x86_64 --version`.</summary>
    /// <exception cref="MissingToolException">QEMU does not run or prints no version.</exception>
    public static MachineVersion Read(string qemu)
    {
        string text;
        try { text = ExternalProgram.Run(qemu, ["--version"], TimeSpan.FromSeconds(30)).Text; }
        catch (ExternalProgramException e)
        {
            throw new MissingToolException(ToolSearch.Qemu, e.Message, "Install QEMU: apt-get install qemu-system-x86", e);
        }
        return Parse(text) ?? throw new MissingToolException(ToolSearch.Qemu, $"{qemu} --version printed no version: {text.Trim()}",
            "Install QEMU: apt-get install qemu-system-x86");
    }

    /// <summary>"QEMU emulator version 7.2.22 (Debian ...)" gives 7.2.</summary>
    public static MachineVersion? Parse(string text)
    {
        const string marker = "version ";
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return null;
        var word = text[(at + marker.Length)..].Split([' ', '\n', '('], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return MachineVersion.TryParse(word, out var v) ? v : null;
    }
}
