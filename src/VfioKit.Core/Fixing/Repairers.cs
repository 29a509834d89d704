using VfioKit.Formats;

namespace VfioKit.Fixing;

/// <summary>The repairer of each format, by what it declares: the intents `fix` can carry out in a format.</summary>
public static class Repairers
{
    public static IReadOnlySet<Type> Carries(ConfigFormat format) => format switch
    {
        ConfigFormat.Libvirt => LibvirtRepairer.Kinds,
        ConfigFormat.Qemu => QemuRepairer.Kinds,
        ConfigFormat.Proxmox => ProxmoxRepairer.Kinds,
        _ => new HashSet<Type>(),
    };

    /// <summary>The formats among <paramref name="formats"/> whose repairer carries one of <paramref name="intents"/>.</summary>
    public static ConfigFormats FormatsCarrying(ConfigFormats formats, IEnumerable<Type> intents) =>
        ConfigFormatNames.All.Where(f => formats.Includes(f) && intents.Any(Carries(f).Contains))
            .Aggregate(ConfigFormats.None, (all, f) => all | (ConfigFormats)(1 << (int)f));
}
