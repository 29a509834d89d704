using VfioKit.Diagnostics;
using VfioKit.Formats.Qemu;
using VfioKit.Vm;

namespace VfioKit.Tests.Formats.Qemu;

public class OptionParsingTests
{
    private static readonly SourceLocation Here = new("f", 3, 7);

    [Fact]
    public void Double_commas_are_literal_and_bare_words_are_on()
    {
        var props = OptionList.Parse("vfio-pci,romfile=/roms/a,,b.rom,x-vga,id=gpu", Here, "driver");
        Assert.Equal(
            [new("driver", "vfio-pci"), new("romfile", "/roms/a,b.rom"), new("x-vga", "on"), new OptionProperty("id", "gpu")],
            props);
        Assert.Equal("vfio-pci,romfile=/roms/a,,b.rom,x-vga=on,id=gpu", OptionList.Format(props, "driver"));
    }

    [Fact]
    public void Json_form_gives_the_same_properties_as_the_key_value_form()
    {
        var json = DeviceJson.Parse("""{"driver":"vfio-pci","host":"0000:0b:00.0","id":"hostdev0","bus":"pci.8","multifunction":true,"addr":"0x0","bootindex":2}""", Here);
        var kv = OptionList.Parse("vfio-pci,host=0000:0b:00.0,id=hostdev0,bus=pci.8,multifunction=on,addr=0x0,bootindex=2", Here, "driver");
        Assert.Equal(kv, json);
    }

    [Fact]
    public void Single_quoted_json_reads_as_qemu_reads_it()
    {
        // QEMU 7.2 starts with -device "{'driver':'e1000','id':'n1','addr':'0x5'}" (a real Looking Glass domain's
        // <qemu:commandline> is written so); quotes of the other kind and \' escapes stay inside their string.
        var single = DeviceJson.Parse("{'driver':'ivshmem-plain','id':'shmem0','memdev':'looking-glass','x':'say \\'hi\\' \"there\"'}", Here);
        var doubled = DeviceJson.Parse("""{"driver":"ivshmem-plain","id":"shmem0","memdev":"looking-glass","x":"say 'hi' \"there\""}""", Here);
        Assert.Equal(doubled, single);
        Assert.Equal("say 'hi' \"there\"", single.Single(p => p.Key == "x").Value);
    }

    [Fact]
    public void Json_addr_as_a_number_is_a_devfn()
    {
        var props = DeviceJson.Parse("""{"driver":"e1000","addr":26}""", Here);
        Assert.Equal("0x3.0x2", props.Single(p => p.Key == "addr").Value);
    }

    [Theory]
    [InlineData("""{"driver":"vfio-pci",}""")]
    [InlineData("""{"driver":"vfio-pci" "bus":"x"}""")]
    [InlineData("""["vfio-pci"]""")]
    [InlineData("""{"driver":"pci-bridge","chassis_nr":"7"}""")]
    [InlineData("""{"driver":"e1000","multifunction":"on"}""")]
    public void Bad_json_is_input_error_at_the_token(string json)
    {
        var e = Assert.Throws<InputException>(() => DeviceJson.Parse(json, Here));
        Assert.Equal(("f", 3), (e.Origin, e.Line));
        Assert.True(e.Column >= 7);
        Assert.True(e.Message.Contains("JSON") || e.Message.Contains("expects"), e.Message);
    }

    [Theory]
    [InlineData("-device pcie-root-port,id=rp,x-speed=3", "x-speed=3")]
    [InlineData("-device pcie-root-port,id=rp,x-width=64", "x-width=64")]
    [InlineData("-device e1000,addr=0x20", "addr=0x20")]
    [InlineData("-device e1000,multifunction=maybe", "multifunction=maybe")]
    [InlineData("-device vfio-pci,bus=pcie.0", "vfio-pci needs host=")]
    [InlineData("-M q35 -device e1000,bus=pci.9", "bus=pci.9")]
    [InlineData("-M microvm", "microvm")]
    [InlineData("-M q35 -device", "needs an argument")]
    public void Bad_values_are_input_errors_naming_the_token(string commandLine, string token)
    {
        var e = Assert.Throws<InputException>(() => QemuCommandLine.FromArgv(commandLine.Split(' '), "cmd"));
        Assert.Contains(token, e.Message);
        Assert.Equal("cmd", e.Origin);
    }

    [Fact]
    public void Unknown_bus_in_a_script_names_file_line_and_token()
    {
        var e = Assert.Throws<InputException>(() => QemuCommandLine.Parse(
            "qemu-system-x86_64 -M q35 \\\n  -device pcie-root-port,id=rp1,chassis=1 \\\n  -device vfio-pci,host=01:00.0,bus=rp2\n", "start.sh"));
        Assert.Equal(("start.sh", 3, 11), (e.Origin, e.Line, e.Column));
        Assert.Contains("bus=rp2", e.Message);
        Assert.Contains("rp1", e.Message);
    }

    [Theory]
    [InlineData("q35", MachineFamily.Q35, null)]
    [InlineData("pc-q35-7.2", MachineFamily.Q35, "7.2")]
    [InlineData("pc", MachineFamily.I440fx, null)]
    [InlineData("pc-i440fx-3.1", MachineFamily.I440fx, "3.1")]
    [InlineData("pc-1.3", MachineFamily.I440fx, "1.3")]
    public void Machine_types_have_a_family_and_version(string type, MachineFamily family, string? version)
    {
        var t = QemuCommandLine.FromArgv(["-machine", type + ",kernel-irqchip=split"]);
        Assert.Equal(family, t.Machine.Family);
        Assert.Equal(version, t.Machine.Version?.ToString());
        Assert.Equal("split", t.Machine.Option("kernel-irqchip"));
    }
}
