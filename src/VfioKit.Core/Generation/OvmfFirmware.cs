namespace VfioKit.Generation;

/// <summary>The OVMF code image (read-only) and the variable-store template each VM gets its own copy of.</summary>
/// <param name="Found">False when none of the known locations exists on this machine (the Debian paths are used, with a note).</param>
public sealed record OvmfFirmware(string Code, string VarsTemplate, bool Found)
{
    /// <summary>Known locations, most specific first: Debian/Ubuntu 4M images, older Ubuntu, Fedora, Arch, older Arch.</summary>
    public static IReadOnlyList<(string Code, string Vars)> Locations { get; } =
    [
        ("/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_VARS_4M.fd"),
        ("/usr/share/OVMF/OVMF_CODE.fd", "/usr/share/OVMF/OVMF_VARS.fd"),
        ("/usr/share/edk2/ovmf/OVMF_CODE.fd", "/usr/share/edk2/ovmf/OVMF_VARS.fd"),
        ("/usr/share/edk2/x64/OVMF_CODE.4m.fd", "/usr/share/edk2/x64/OVMF_VARS.4m.fd"),
        ("/usr/share/edk2-ovmf/x64/OVMF_CODE.fd", "/usr/share/edk2-ovmf/x64/OVMF_VARS.fd"),
    ];

    /// <summary>The first location whose code and vars both exist under <paramref name="root"/> (the machine that runs the VM).</summary>
    public static OvmfFirmware Find(string root = "/")
    {
        foreach (var (code, vars) in Locations)
            if (File.Exists(Under(root, code)) && File.Exists(Under(root, vars)))
                return new OvmfFirmware(code, vars, true);
        return new OvmfFirmware(Locations[0].Code, Locations[0].Vars, false);
    }

    private static string Under(string root, string path) => Path.Join(root, path.TrimStart('/'));
}
