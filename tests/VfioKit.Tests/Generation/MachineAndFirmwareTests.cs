using VfioKit.Generation;
using Xunit;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Tests.Generation;

public sealed class MachineAndFirmwareTests
{
    [Fact]
    public void Newest_q35_comes_from_the_real_qemu_and_is_at_least_4_0()
    {
        var type = QemuMachineTypes.Query();
        Assert.StartsWith("pc-q35-", type);
        Assert.True(VfioKit.Vm.Machine.TryParseType(type, out _, out var v) && v >= QemuMachineTypes.Minimum, type);
    }

    [Fact]
    public void Machine_help_parsing_picks_the_newest_versioned_q35()
    {
        const string help = "Supported machines are:\nq35                  Standard PC (Q35 + ICH9, 2009) (alias of pc-q35-8.2)\npc-q35-8.2           Standard PC (Q35 + ICH9, 2009) (default)\npc-q35-10.0          Standard PC\npc-q35-3.1           Standard PC\npc-i440fx-9.0        Standard PC\n";
        Assert.Equal("pc-q35-10.0", QemuMachineTypes.NewestQ35(help));
        Assert.Null(QemuMachineTypes.NewestQ35("pc-q35-3.1  Standard PC\n"));
    }

    [Theory]
    [InlineData("usr/share/OVMF/OVMF_CODE_4M.fd", "usr/share/OVMF/OVMF_VARS_4M.fd")]
    [InlineData("usr/share/edk2/ovmf/OVMF_CODE.fd", "usr/share/edk2/ovmf/OVMF_VARS.fd")]
    [InlineData("usr/share/edk2/x64/OVMF_CODE.4m.fd", "usr/share/edk2/x64/OVMF_VARS.4m.fd")]
    public void Ovmf_is_found_where_each_distribution_puts_it(string code, string vars)
    {
        using var temp = new TempDirectory("vfiokit-ovmf-");
        var root = temp.Path;
        foreach (var f in new[] { code, vars })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, f))!);
            File.WriteAllText(Path.Combine(root, f), "");
        }
        var found = OvmfFirmware.Find(root);
        Assert.True(found.Found);
        Assert.Equal("/" + code, found.Code);
        Assert.Equal("/" + vars, found.VarsTemplate);
        Assert.False(OvmfFirmware.Find(Path.Combine(root, "nothing")).Found);
    }

    [Fact]
    public void A_snapshot_root_takes_its_own_ovmf_and_says_the_machine_type_is_this_machines()
    {
        using var temp = new TempDirectory("vfiokit-ovmf-");
        foreach (var f in new[] { "usr/share/edk2/ovmf/OVMF_CODE.fd", "usr/share/edk2/ovmf/OVMF_VARS.fd" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(temp.Path, f))!);
            File.WriteAllText(Path.Combine(temp.Path, f), "");
        }
        var software = VmHostSoftware.Find(temp.Path, () => "pc-q35-9.2");
        Assert.Equal("/usr/share/edk2/ovmf/OVMF_CODE.fd", software.Firmware.Code);
        Assert.True(software.Firmware.Found);
        Assert.Equal("pc-q35-9.2", software.MachineType);
        var note = Assert.Single(software.Notes);
        Assert.Contains("pc-q35-9.2 is what this machine's QEMU offers", note);
        Assert.Contains(temp.Path, note);
    }

    [Fact]
    public void A_snapshot_without_ovmf_names_this_machines_ovmf_and_the_live_root_needs_no_note()
    {
        using var temp = new TempDirectory("vfiokit-ovmf-");
        var software = VmHostSoftware.Find(temp.Path, () => "pc-q35-9.2");
        if (OvmfFirmware.Find("/") is { Found: true } local)
        {
            Assert.Equal(local, software.Firmware);
            Assert.Contains(software.Notes, n => n.StartsWith($"OVMF paths {local.Code} and {local.VarsTemplate} are this machine's", StringComparison.Ordinal));
        }
        else Assert.False(software.Firmware.Found);
        Assert.Empty(VmHostSoftware.Find("/", () => "pc-q35-9.2").Notes);
    }
}
