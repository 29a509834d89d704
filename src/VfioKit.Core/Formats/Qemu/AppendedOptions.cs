using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Formats.Qemu;

/// <summary>
/// What QEMU receives when a tool adds options after the command line it generates: libvirt puts
/// &lt;qemu:commandline&gt; after its own arguments, qemu-server puts `args:` after its own. Their -global and
/// -machine options add to the generated ones, and for single options such as -cpu the last one wins
/// (<see cref="VfioKit.Rules.AppendedTuning"/>). Their -device entries are created in QEMU's order: key=value
/// ones before JSON ones (vl.c qemu_create_cli_devices). qemu-server writes key=value, so appended devices
/// come last; libvirt writes JSON (9.0 here, see domxml-to-native), so an appended key=value device is
/// created before every libvirt device: it takes the first free slot of pcie.0, which may be the slot
/// libvirt gave a port ("PCI: slot 1 function 0 not available for pcie-root-port, in use by ivshmem-plain"),
/// and libvirt's buses do not exist yet for it.
/// </summary>
public static class AppendedOptions
{
    /// <summary>The generated topology (placed) with the appended options' devices and globals added and placed.</summary>
    /// <param name="generatedAsJson">True when the tool passes its devices as JSON -device (libvirt).</param>
    public static VmTopology AppendTo(VmTopology generated, QemuScript appended, bool generatedAsJson)
    {
        if (appended.Arguments.Count == 0) return QemuAddressing.Place(generated);
        var all = QemuArgvReader.Read(appended.Arguments, appendTo: generated, generatedAsJson: generatedAsJson);
        // The appended devices created before the generated ones are placed against the machine's own devices only.
        var early = all.Devices.TakeWhile(d => d.Placement is null).ToList();
        var rest = all.Devices.Skip(early.Count);
        var placedEarly = QemuAddressing.Place(all with { Devices = new ValueList<VmDevice>(early) }).Configured;
        return QemuAddressing.Place(all with { Devices = new ValueList<VmDevice>(placedEarly.Concat(rest)) });
    }
}
