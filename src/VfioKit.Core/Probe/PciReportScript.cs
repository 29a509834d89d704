namespace VfioKit.Probe;

/// <summary>
/// The shell that prints every PCI function a Linux kernel enumerated in the guest protocol (<see cref="GuestProgram"/>:
/// address, ids, class, the sysfs link attributes, the config space as root reads it through od), between the two
/// markers. One text for the probe guest's /init and verify's agent collector, so the report both print is the one
/// <see cref="GuestReport"/> reads. Shell builtins (read, echo, [) where possible: every fork+exec costs
/// milliseconds under TCG. od without -v folds runs of identical lines into "*", so a mostly empty 4 KiB config
/// space crosses the emulated serial line in a few lines; the final offset line gives its length.
/// </summary>
public static class PciReportScript
{
    /// <summary>The report; each of <paramref name="computed"/> adds an "@attr NAME VALUE" line per function, VALUE
    /// a shell word in which $d is the function's directory (a fixed text of vfiokit's, never input).</summary>
    public static string Text(params (string Name, string Value)[] computed) => $$"""
        read -r release < /proc/sys/kernel/osrelease
        echo "{{GuestProgram.BeginMarker}} {{GuestProgram.ProtocolVersion}} $release"
        for d in /sys/bus/pci/devices/*; do
          [ -e "$d/config" ] || continue
          read -r vendor < "$d/vendor"; read -r device < "$d/device"; read -r class < "$d/class"
          echo "@dev ${d##*/} $vendor $device $class"
          for a in {{string.Join(' ', GuestProgram.Attributes)}}; do
            [ -r "$d/$a" ] && read -r value < "$d/$a" 2>/dev/null && echo "@attr $a $value"
          done

        """.Replace("\r\n", "\n")
        + string.Concat(computed.Select(c => $"  echo \"@attr {c.Name} {c.Value}\"\n"))
        + $$"""
          echo "@config"
          od -Ax -tx1 "$d/config"
        done
        echo "{{GuestProgram.EndMarker}}"

        """.Replace("\r\n", "\n");
}
