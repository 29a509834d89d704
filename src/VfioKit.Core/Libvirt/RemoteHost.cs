using VfioKit.Behaviour.Qemu;
using VfioKit.Generation;
using VfioKit.Host;

namespace VfioKit.Libvirt;

/// <summary>
/// What `new --connect URI` needs of the host behind a libvirt connection: its model (<see cref="LibvirtHostSource"/>)
/// and its software, the machine types of its capabilities and the OVMF images of its domain capabilities.
/// </summary>
public static class RemoteHost
{
    public static (HostModel Host, VmHostSoftware Software) Read(LibvirtConnection connection)
    {
        var source = new LibvirtHostSource(connection);
        var host = HostModel.Read(source);
        var caps = source.Capabilities!; // the ones the host was read from: one round trip, one parse
        IReadOnlyList<string>? loaders;
        try
        {
            // The domain type the VM will have there: kvm when offered (the generated domain's), else plain emulation.
            loaders = HostCapabilities.FirmwareLoaders(connection.DomainCapabilities("x86_64", "q35", caps.KvmOffered ? "kvm" : "qemu"));
        }
        catch (LibvirtException)
        {
            loaders = null; // a driver without domain capabilities (libvirt's test driver): named in the notes
        }
        return (host, VmHostSoftware.FromLibvirt(connection.Uri, caps.Q35Machines, loaders, () => QemuMachineTypes.Query()));
    }
}
