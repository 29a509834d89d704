using VfioKit.Diagnostics;
using VfioKit.Formats;
using VfioKit.Rules;

namespace VfioKit.Tests.Formats;

/// <summary>Format detection by structure: what a Proxmox `args:` line or a note says never makes it a QEMU script.</summary>
public class ConfigFormatDetectorTests
{
    // The shapes of the Proxmox configs that were refused: macOS (applesmc, -cpu in args), Looking Glass
    // ivshmem in args, and notes that quote a qemu-system command line.
    private const string MacOs = """
        #macOS Sonoma, from the OSX-PROXMOX guide
        #qemu-system-x86_64 -machine q35 -device isa-applesmc was the original launch
        args: -device isa-applesmc,osk="ourhardworkbythesewordsguardedpleasedontsteal(c)AppleComputerInc" -smbios type=2 -device qemu-xhci -device usb-kbd,bus=xhci.0 -cpu host,vendor=GenuineIntel,+invtsc,kvm=on
        balloon: 0
        bios: ovmf
        cores: 8
        hostpci0: 0000:03:00,pcie=1,x-vga=1
        machine: q35
        memory: 16384
        name: sonoma
        ostype: other
        """;

    private const string LookingGlass = """
        agent: 1
        args: -device ivshmem-plain,memdev=ivshmem,bus=pcie.0 -object memory-backend-file,id=ivshmem,share=on,mem-path=/dev/shm/looking-glass,size=64M
        bios: ovmf
        cpu: host
        hostpci0: 0000:0b:00.0,pcie=1
        machine: pc-q35-8.1
        memory: 16384
        """;

    private const string Notes = """
        #Passthrough notes%3A
        #  qemu-system-x86_64 -M q35 -device vfio-pci,host=0b:00.0 -device vfio-pci,host=0b:00.1
        #  -machine kernel_irqchip=on
        boot: order=scsi0
        hostpci0: 0b:00,pcie=1
        machine: q35
        """;

    [Theory]
    [InlineData(MacOs)]
    [InlineData(LookingGlass)]
    [InlineData(Notes)]
    public void A_proxmox_config_whose_args_or_notes_hold_qemu_options_is_read_as_proxmox(string text)
    {
        Assert.Equal(ConfigFormat.Proxmox, ConfigFormatDetector.Detect("100.conf", text));
        // Read by guest-view's and probe's loader and by lint alike, the hostpci GPU is there.
        Assert.Contains(VmConfigFile.Parse("100.conf", text).Topology.Devices, d => d.IsPassthrough);
        Assert.Equal(ConfigFormat.Proxmox, Linter.Lint("100.conf", text).Document.Format);
    }

    [Theory]
    [InlineData("#!/bin/bash\n# Author: me\nset -e\nexec qemu-system-x86_64 -machine q35 -m 4G\n")]
    [InlineData("# host: lab1\nQEMU_AUDIO_DRV=none qemu-system-x86_64 \\\n  -machine q35\n")]
    [InlineData("-machine\nq35\n-device\n{\"driver\": \"e1000\", \"id\": \"nic0\"}\n")]
    [InlineData("LC_ALL=C\n/usr/bin/qemu-system-x86_64\n-machine\nq35\n")]
    [InlineData("-machine q35 -device e1000\n")]
    public void Launch_scripts_and_argument_files_are_qemu(string text) =>
        Assert.Equal(ConfigFormat.Qemu, ConfigFormatDetector.Detect("vm.sh", text));

    [Fact]
    public void Text_of_no_known_structure_is_refused_with_its_name()
    {
        var e = Assert.Throws<InputException>(() => ConfigFormatDetector.Detect("notes.txt", "just some words\nand: more\n"));
        Assert.Equal(("notes.txt", 1), (e.Origin, e.Line));
        Assert.Contains("cannot tell the format", e.Message);
    }
}
