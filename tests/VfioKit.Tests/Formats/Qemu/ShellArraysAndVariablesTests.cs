using System.Text.Json;
using VfioKit.Diagnostics;
using VfioKit.Formats;
using VfioKit.Formats.Qemu;
using VfioKit.Linting;
using VfioKit.Rules;
using VfioKit.Run;
using VfioKit.Tests.Cli;
using VfioKit.Tests.Fixing;
using VfioKit.Vm;

namespace VfioKit.Tests.Formats.Qemu;

/// <summary>
/// Launch scripts as people write them (issue 13): arrays, variables holding options, "$@", command prefixes,
/// one device named two ways. Each is read as bash would run it; what only the running shell knows is said in
/// one VK301 line; every fixed script passes `bash -n` and lints again without the finding fix said it fixed.
/// </summary>
public class ShellArraysAndVariablesTests
{
    private static VmConfig Read(string text) => VmConfigFile.Parse("vm.sh", text);

    private static LintReport Lint(string text) => Linter.Lint(new ConfigDocument("vm.sh", text, ConfigFormat.Qemu));

    private static VmDevice Device(VmConfig c, string id) => c.Topology.Devices.Single(d => d.Id == id);

    /// <summary>Fixes the script, then checks the result the way a user would: bash reads it, lint reads it,
    /// and no rule fix said it fixed comes back.</summary>
    private static FixResult FixAndRelint(string text)
    {
        var result = Fixer.Fix(new ConfigDocument("vm.sh", text, ConfigFormat.Qemu), new FixOptions());
        var (exit, output) = ToolRun.Of("bash", "-n", "-c", result.FixedText);
        Assert.True(exit == 0, $"bash -n: {output}\n{result.FixedText}");
        var again = Lint(result.FixedText);
        foreach (var fixedOne in result.Applied)
            Assert.DoesNotContain(again.Findings, f => f.RuleId == fixedOne.RuleId && f.Location.Line == fixedOne.Location.Line && f.Message == fixedOne.Message);
        return result;
    }

    private const string MultiLineArray = """
        #!/bin/bash
        GPU=01:00
        CMD=( qemu-system-x86_64
          -machine q35
          -m 4G
          # the GPU, on the root bus
          -device vfio-pci,id=gpu,host=$GPU.0,bus=pcie.0,addr=0x5
        )
        "${CMD[@]}"

        """;

    [Fact]
    public void A_multi_line_array_run_as_the_command_is_the_VM()
    {
        var config = Read(MultiLineArray);
        Assert.Equal(MachineFamily.Q35, config.Topology.Machine.Family);
        var gpu = Device(config, "gpu");
        Assert.Equal("0000:01:00.0", gpu.HostAddress?.ToString());
        Assert.Equal(7, gpu.Source!.Line);
        Assert.Empty(config.Topology.RunTime);
        Assert.Contains(Lint(MultiLineArray).Findings, f => f.RuleId == RuleIds.PcieDeviceOnRootBus && f.Location.Line == 7);
    }

    [Fact]
    public void Fix_edits_inside_the_array_and_the_result_reads_back()
    {
        var result = FixAndRelint(MultiLineArray);
        Assert.Contains(result.Applied, f => f.RuleId == RuleIds.PcieDeviceOnRootBus);
        // The new port and the moved GPU are words of the array, each on a line of its own; "${CMD[@]}" is untouched.
        Assert.Contains("  -device pcie-root-port,id=vfiokit-rp1,chassis=1,slot=1,bus=pcie.0,addr=0x3\n  -device vfio-pci,id=gpu,host=$GPU.0,bus=vfiokit-rp1,addr=0x0.0x0\n)\n\"${CMD[@]}\"\n", result.FixedText);
        var gpu = Device(Read(result.FixedText), "gpu");
        Assert.Equal("vfiokit-rp1", gpu.Bus);
    }

    [Fact]
    public void Appended_arrays_and_words_follow_in_order()
    {
        var text = """
            args=(-machine q35)
            args+=(-device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0)
            args+=(
              -device vfio-pci,id=gpu,host=0000:01:00.0,bus=rp1,addr=0x0
            )
            NAME=win
            NAME+=10
            qemu-system-x86_64 "${args[@]}" -name "$NAME"

            """;
        var config = Read(text);
        Assert.Equal(MachineFamily.Q35, config.Topology.Machine.Family);
        Assert.Equal("rp1", Device(config, "gpu").Bus);
        Assert.Equal(4, Device(config, "gpu").Source!.Line);
        Assert.Equal("win10", config.Script!.All("name").Single().Value!.Text);
        Assert.DoesNotContain(Lint(text).Findings, f => f.RuleId is RuleIds.PcieDeviceOnRootBus or RuleIds.RunTimeValues);
    }

    [Fact]
    public void A_variable_of_several_options_is_split_and_a_fix_inside_it_is_declined()
    {
        var text = """
            OPTS="-machine q35 -cpu qemu64 -m 4G"
            exec qemu-system-x86_64 $OPTS -device vfio-pci,id=gpu,host=0000:01:00.0,bus=pcie.0,addr=0x5

            """;
        var config = Read(text);
        Assert.Equal(MachineFamily.Q35, config.Topology.Machine.Family);
        Assert.Equal("qemu64", config.Script!.All("cpu").Single().Value!.Text);
        var lint = Lint(text);
        // The -cpu is one piece of OPTS's value: no edit can change it alone, so VK206 has no fix...
        var cpu = Assert.Single(lint.Findings, f => f.RuleId == RuleIds.CpuModelNotHost);
        Assert.Null(cpu.Fix);
        var result = FixAndRelint(text);
        // ...and fix leaves OPTS as written (a -cpu host before it would not take effect), while the GPU is moved.
        Assert.StartsWith("OPTS=\"-machine q35 -cpu qemu64 -m 4G\"\n", result.FixedText);
        Assert.DoesNotContain("-cpu host", result.FixedText);
        Assert.Contains(result.Applied, f => f.RuleId == RuleIds.PcieDeviceOnRootBus);
        Assert.Contains(result.Remaining, f => f.RuleId == RuleIds.CpuModelNotHost);
    }

    [Fact]
    public void An_array_after_the_binary_is_its_options()
    {
        var text = """
            args=(
              -machine q35
              -device "vfio-pci,id=gpu,host=0000:01:00.0,bus=pcie.0,addr=0x5"
            )
            qemu-system-x86_64 "${args[@]}"

            """;
        var config = Read(text);
        Assert.Equal(3, Device(config, "gpu").Source!.Line);
        var result = FixAndRelint(text);
        Assert.Contains("  -device \"vfio-pci,id=gpu,host=0000:01:00.0,bus=vfiokit-rp1,addr=0x0.0x0\"\n", result.FixedText);
    }

    private const string WithArguments = """
        #!/bin/sh
        exec qemu-system-x86_64 -machine q35 -m 4G \
          -device vfio-pci,id=gpu,host=0000:01:00.0,bus=pcie.0,addr=0x5 \
          "$@"

        """;

    [Fact]
    public void Arguments_known_at_run_time_are_read_around_and_said_once()
    {
        var config = Read(WithArguments);
        Assert.Equal("gpu", Device(config, "gpu").Id);
        var value = Assert.Single(config.Topology.RunTime);
        Assert.Equal(("\"$@\"", 4), (value.Written, value.Line));
        var info = Assert.Single(Lint(WithArguments).Findings, f => f.RuleId == RuleIds.RunTimeValues);
        Assert.Equal((Severity.Info, 4), (info.Severity, info.Location.Line));
        Assert.Contains("\"$@\" (line 4: the script's arguments)", info.Message);
        var result = FixAndRelint(WithArguments);
        Assert.EndsWith("  \"$@\"\n", result.FixedText);
    }

    [Fact]
    public void Guest_view_text_and_json_carry_the_info_line_and_exit_0()
    {
        using var dir = new TempDirectory("vfiokit-runtime-");
        var path = dir.File("vm.sh");
        File.WriteAllText(path, "exec qemu-system-x86_64 -machine q35 -m 4G $(cat /etc/vm.args)\n");
        var text = CliRun.Of("guest-view", path);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("info: known only when the script runs, so not read: $(cat /etc/vm.args) (line 1: a command's output)", text.Out.Replace("\n", ""));
        var json = CliRun.Of("guest-view", path, "--json");
        Assert.Equal(0, json.ExitCode);
        var problem = Assert.Single(JsonDocument.Parse(json.Out).RootElement.GetProperty("problems").EnumerateArray());
        Assert.Equal(("info", 1), (problem.GetProperty("severity").GetString(), problem.GetProperty("line").GetInt32()));
        var lint = CliRun.Of("lint", path, "--format", "json");
        Assert.Contains("VK301", lint.Out);
    }

    [Fact]
    public void Run_refuses_a_script_whose_options_are_known_only_at_run_time()
    {
        var e = Assert.Throws<InputException>(() => QemuRunConfig.Read(WithArguments, "vm.sh", null));
        Assert.Equal(4, e.Line);
        Assert.Contains("\"$@\"", e.Message);
    }

    [Theory]
    [InlineData("sudo -E taskset -c 2-7 qemu-system-x86_64 \"${args[@]}\"")]
    [InlineData("sudo -u root env QEMU_AUDIO_DRV=none chrt -f 10 numactl --membind=0 -C 2-7 \"$QEMU\" \"${args[@]}\"")]
    [InlineData("exec nice -n -5 ionice -c 1 taskset 0xfc \"$QEMU\" \"${args[@]}\"")]
    [InlineData("QEMU_PA_SERVER=/run/pulse exec $QEMU \"${args[@]}\"")]
    public void Command_prefixes_are_skipped_to_the_QEMU_word(string command)
    {
        var text = "QEMU=/usr/bin/qemu-system-x86_64\nargs=(-machine q35 -device vfio-pci,id=gpu,host=0000:01:00.0,bus=pcie.0,addr=0x5)\n" + command + "\n";
        var config = Read(text);
        Assert.Equal(MachineFamily.Q35, config.Topology.Machine.Family);
        Assert.Equal(2, Device(config, "gpu").Source!.Line);
        Assert.Empty(config.Topology.RunTime);
        FixAndRelint(text);
    }

    [Fact]
    public void A_QEMU_binary_set_outside_the_script_is_said_and_its_options_read()
    {
        var config = Read("\"$QEMU_BIN\" -machine q35 -device vfio-pci,id=gpu,host=0000:01:00.0\n");
        Assert.Equal(MachineFamily.Q35, config.Topology.Machine.Family);
        Assert.Contains("QEMU_BIN is not set in the script", Assert.Single(config.Topology.RunTime).Why);
    }

    [Theory]
    [InlineData("GPU=01:00\n")]
    [InlineData("")] // GPU from the environment: still one device
    public void One_device_named_two_ways_is_one_device(string assignment)
    {
        // Function 0 on one port, function 1 on another: VK103 is about one host device split in two.
        var text = assignment + """
            qemu-system-x86_64 -machine q35 \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device pcie-root-port,id=rp2,chassis=2,slot=2,bus=pcie.0 \
              -device vfio-pci,id=gpu,host=$GPU.0,bus=rp1,addr=0x0 \
              -device vfio-pci,id=audio,host=${GPU}.1,bus=rp2,addr=0x0

            """;
        var config = Read(text);
        Assert.Equal(Device(config, "gpu").HostSlot()!.Value.Device, Device(config, "audio").HostSlot()!.Value.Device);
        var split = Assert.Single(Lint(text).Findings, f => f.RuleId == RuleIds.FunctionsSplitAcrossSlots);
        // Gathering needs the host's function numbers: known when the script sets GPU.
        Assert.Equal(assignment.Length > 0, split.Fix is not null);
        var result = FixAndRelint(text);
        // The variables are still written as they were: the fix edits the words, not the values.
        Assert.Contains("host=$GPU.0,", result.FixedText);
        Assert.Contains("host=${GPU}.1,", result.FixedText);
    }

    [Fact]
    public void Array_elements_keep_their_own_spans_and_comments_inside_are_skipped()
    {
        var text = "CMD=( qemu # the binary\n  -m 4G )\nX+=(a)\nexport Y=1\n";
        var commands = ShellScriptTokenizer.Tokenize(text, "t.sh");
        var array = commands[0].Assignments.Single();
        Assert.Equal(("CMD", false), (array.Name, array.Append));
        Assert.Equal(["qemu", "-m", "4G"], array.Elements!.Select(w => w.Text));
        Assert.Equal("4G", text[array.Elements![2].Start..array.Elements[2].End]);
        Assert.Equal(2, array.Elements[2].Line);
        Assert.True(commands[1].Assignments.Single().Append);
        Assert.Equal(("Y", "1"), (commands[2].Assignments.Single().Name, commands[2].Assignments.Single().Value!.Text));
        Assert.False(commands[2].AssignmentsArePrefixes);
        var e = Assert.Throws<InputException>(() => ShellScriptTokenizer.Tokenize("A=( qemu\n -m 4G\n", "t.sh"));
        Assert.Equal((1, 3), (e.Line, e.Column));
    }
}
