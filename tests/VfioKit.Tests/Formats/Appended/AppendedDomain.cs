namespace VfioKit.Tests.Formats.Appended;

/// <summary>A Windows domain as users write it for Looking Glass: libvirt's Hyper-V flags and hidden KVM, then
/// a &lt;qemu:commandline&gt; with its own -cpu and an ivshmem device with its memory backend.</summary>
internal static class AppendedDomain
{
    public const string Ivshmem = "ivshmem-plain,id=lg,memdev=looking-glass,bus=pcie.0,addr=0x10";

    public static string Xml(string cpu = "host,kvm=off", string ivshmemSize = "16M", string ivshmem = Ivshmem) => $"""
        <domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
          <name>win10-lg</name>
          <memory unit='KiB'>4194304</memory>
          <vcpu placement='static'>4</vcpu>
          <os>
            <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
          </os>
          <features>
            <acpi/>
            <apic/>
            <hyperv mode='custom'>
              <relaxed state='on'/>
              <vapic state='on'/>
              <spinlocks state='on' retries='8191'/>
              <vpindex state='on'/>
              <synic state='on'/>
              <stimer state='on'/>
              <reset state='on'/>
              <frequencies state='on'/>
              <runtime state='on'/>
            </hyperv>
          </features>
          <cpu mode='host-passthrough' check='none'/>
          <clock offset='localtime'>
            <timer name='hypervclock' present='yes'/>
          </clock>
          <devices>
            <controller type='pci' index='0' model='pcie-root'/>
            <controller type='pci' index='1' model='pcie-root-port'>
              <target chassis='1' port='0x10'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
            </controller>
            <hostdev mode='subsystem' type='pci' managed='yes'>
              <driver name='vfio'/>
              <source>
                <address domain='0x0000' bus='0x0b' slot='0x00' function='0x0'/>
              </source>
              <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
            </hostdev>
          </devices>
          <qemu:commandline>
            <qemu:arg value='-cpu'/>
            <qemu:arg value='{cpu}'/>
            <qemu:arg value='-device'/>
            <qemu:arg value='{ivshmem}'/>
            <qemu:arg value='-object'/>
            <qemu:arg value='memory-backend-file,id=looking-glass,share=on,mem-path=/dev/shm/looking-glass,size={ivshmemSize}'/>
          </qemu:commandline>
        </domain>
        """;
}
