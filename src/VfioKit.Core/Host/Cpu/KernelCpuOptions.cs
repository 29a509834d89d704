namespace VfioKit.Host.Cpu;

/// <summary>The CPU isolation options of the kernel command line (/proc/cmdline): isolcpus= and nohz_full=.</summary>
public sealed record KernelCpuOptions(CpuList IsolCpus, CpuList NohzFull)
{
    public static KernelCpuOptions None { get; } = new(CpuList.Empty, CpuList.Empty);

    /// <summary>Parses a command line; "isolcpus=domain,managed_irq,2-5" keeps only the CPU list (flags come first).</summary>
    public static KernelCpuOptions Parse(string cmdline)
    {
        var isol = CpuList.Empty;
        var nohz = CpuList.Empty;
        foreach (var word in cmdline.Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.StartsWith("isolcpus=", StringComparison.Ordinal)) isol = isol.Union(ListAfterFlags(word["isolcpus=".Length..]));
            else if (word.StartsWith("nohz_full=", StringComparison.Ordinal)) nohz = nohz.Union(ListAfterFlags(word["nohz_full=".Length..]));
        }
        return new KernelCpuOptions(isol, nohz);
    }

    // isolcpus takes "flag,flag,cpulist": drop leading words that are not numbers; an unreadable list counts as none.
    private static CpuList ListAfterFlags(string value)
    {
        var parts = value.Split(',');
        var start = 0;
        while (start < parts.Length && parts[start].Length > 0 && !char.IsAsciiDigit(parts[start][0])) start++;
        return CpuList.TryParse(string.Join(',', parts[start..]), out var l) ? l : CpuList.Empty;
    }
}
