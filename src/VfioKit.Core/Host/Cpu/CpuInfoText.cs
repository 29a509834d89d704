namespace VfioKit.Host.Cpu;

/// <summary>The vendor and model name of the first processor in /proc/cpuinfo.</summary>
public sealed record CpuInfoText(CpuVendor Vendor, string? ModelName)
{
    public static CpuInfoText Parse(string text)
    {
        var vendor = CpuVendor.Unknown;
        string? model = null;
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0) continue;
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (key == "vendor_id" && vendor == CpuVendor.Unknown)
                vendor = value switch { "AuthenticAMD" or "HygonGenuine" => CpuVendor.Amd, "GenuineIntel" => CpuVendor.Intel, _ => CpuVendor.Unknown };
            else if (key == "model name" && model is null) model = value;
            if (vendor != CpuVendor.Unknown && model is not null) break;
        }
        return new CpuInfoText(vendor, model);
    }
}
