using System.Globalization;
using System.Text.RegularExpressions;
using VfioKit.Diagnostics;
using VfioKit.Files;
using VfioKit.Pci;
using VfioKit.Probe;
using VfioKit.Verify.Agent;

namespace VfioKit.Verify;

/// <summary>
/// A Linux guest's sysfs as <see cref="LinuxSysfsCollector"/> printed it (the probe guest's protocol). The files are
/// written back into a private temporary tree shaped like /sys (each function's directory where the guest has it,
/// its /sys/bus/pci/devices link, vendor, device, class, link attributes, config) and read by
/// <see cref="GuestSysfs"/>: the very reader and config-space decoder of <c>vfiokit host</c> and of verify run
/// inside the guest, so all three give the same functions.
/// </summary>
public static partial class SysfsReport
{
    public static bool Recognises(string text) =>
        text.Split('\n', 3).Take(2).Any(l => l.StartsWith(GuestProgram.BeginMarker + " ", StringComparison.Ordinal));

    public static GuestInventory Parse(string text, string origin)
    {
        GuestReport report;
        try { report = GuestReport.Parse(text); }
        catch (FormatException e) { throw new InputException(origin, null, null, "a guest sysfs report (" + GuestProgram.BeginMarker + "), but " + e.Message, e); }
        if (!report.IsComplete)
            throw new InputException(origin, null, null,
                $"a guest sysfs report cut short: {report.Functions.Length} function(s) read, no {GuestProgram.EndMarker} line");

        var tree = Directory.CreateTempSubdirectory("vfiokit-guest-sysfs-");
        try
        {
            var written = new HashSet<PciAddress>();
            foreach (var f in report.Functions)
                if (written.Add(f.Address)) Write(tree.FullName, f);
            return GuestSysfs.Read(new SysfsRoot(tree.FullName));
        }
        finally
        {
            try { tree.Delete(recursive: true); }
            catch (IOException) { } // a leftover temporary directory is not worth failing the verdict over
        }
    }

    private static void Write(string root, GuestFunction f)
    {
        var address = f.Address.ToString();
        // The guest's own path when it is a plain /sys/devices path ending in this function, else a parent-less stand-in.
        var path = f.Attribute(LinuxSysfsCollector.PathAttribute) is { } p && SafeDevicePath().IsMatch(p) && p.EndsWith("/" + address, StringComparison.Ordinal)
            ? p.TrimStart('/')
            : "sys/devices/unknown/" + address;
        var dir = Path.Combine(root, path);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "vendor"), $"0x{f.VendorId:x4}\n");
        File.WriteAllText(Path.Combine(dir, "device"), $"0x{f.DeviceId:x4}\n");
        File.WriteAllText(Path.Combine(dir, "class"), $"0x{f.ClassCode.ToString("x6", CultureInfo.InvariantCulture)}\n");
        File.WriteAllBytes(Path.Combine(dir, "config"), [.. f.ConfigBytes]);
        foreach (var name in GuestProgram.Attributes)
            if (f.Attribute(name) is { } value) File.WriteAllText(Path.Combine(dir, name), value + "\n");
        var links = Path.Combine(root, "sys", "bus", "pci", "devices");
        Directory.CreateDirectory(links);
        File.CreateSymbolicLink(Path.Combine(links, address), "../../../" + path["sys/".Length..]);
    }

    /// <summary>/sys/devices/ then names of letters, digits and : . _ + - (no "." or ".." components).</summary>
    [GeneratedRegex(@"^/sys/devices(/(?!\.\.?(/|$))[A-Za-z0-9:._+-]+)+$")]
    private static partial Regex SafeDevicePath();
}
