using System.Collections.Concurrent;
using CsCheck;
using VfioKit.Diagnostics;
using VfioKit.Fixing;
using VfioKit.Linting;
using VfioKit.Formats;
using VfioKit.Formats.Qemu;
using VfioKit.Rules;

namespace VfioKit.Tests.Fixing;

/// <summary>
/// `fix` never writes a script that lint or bash cannot read: random launch scripts whose -device words carry
/// command substitutions, parameter expansions, single and double quotes and backslashes (in every quoting
/// style a word can start with) are fixed, and every result must lint without an input error, pass
/// `bash -n`, and keep each expansion exactly as written.
/// </summary>
public class ShellFixPropertyTests
{
    /// <summary>A host= value as written in the script, in a bare or double-quoted word.</summary>
    private static readonly string[] Hosts =
    [
        "$(cat /tmp/gpu-addr)", "${GPU}.0", "$GPU.0", "0000:0b:00.0", "`cat /tmp/gpu`", "$(printf '%s' 0b:00.0)", "${GPU:-0b:00}.0",
    ];

    private sealed record Device(string Style, string Host, string Extra, string Bus);

    private static readonly Gen<Device> Devices =
        from style in Gen.OneOf("bare", "double", "single", "mixed")
        from host in Gen.OneOf(Hosts)
        from extra in Gen.OneOf("", "romfile=/opt/roms/a b.rom", "x-pci-sub-vendor-id=0x1043", "romfile=/opt/it's.rom", "romfile=/opt/back\\slash.rom")
        from bus in Gen.OneOf("pcie.0", "rp0")
        select new Device(style, host, extra, bus);

    private static readonly Gen<(string Cpu, Device[] Devices, bool Continuations, bool Array)> Scripts =
        from cpu in Gen.OneOf("", "-cpu host ", "-cpu \"host,kvm=off\" ", "-cpu 'qemu64' ")
        from devices in Devices.Array[1, 3]
        from continuations in Gen.Bool
        from array in Gen.Bool
        select (cpu, devices, continuations, array);

    /// <summary>The -device word in the device's quoting style (each style is valid sh by construction).</summary>
    private static string Word(Device d, int i)
    {
        var props = $"id=gpu{i},bus={d.Bus},addr=0x{5 + i:x}" + (d.Extra.Length > 0 ? "," + d.Extra : "");
        return d.Style switch
        {
            "bare" => $"vfio-pci,host={d.Host},{Bare(props)}",
            "double" => $"\"vfio-pci,host={d.Host},{props.Replace("\\", "\\\\")}\"",
            // In single quotes the host expression is literal text: QEMU would get it as written.
            "single" => $"'vfio-pci,host={d.Host.Replace("'", "'\\''")},{props.Replace("'", "'\\''")}'",
            _ => $"vfio-pci,host=\"{d.Host}\",\"{props.Replace("\\", "\\\\")}\"",
        };
    }

    private static string Bare(string s) => string.Concat(s.Select(c => c is ' ' or '\'' or '\\' ? "\\" + c : c.ToString()));

    private static string Script((string Cpu, Device[] Devices, bool Continuations, bool Array) s)
    {
        var sep = s.Continuations ? " \\\n  " : " ";
        var words = new List<string> { "-machine q35", "-device pcie-root-port,id=rp0,chassis=1,slot=1,bus=pcie.0" };
        if (s.Cpu.Length > 0) words.Add(s.Cpu.Trim());
        var devices = s.Devices.Select((d, i) => "-device " + Word(d, i)).ToList();
        if (!s.Array)
        {
            words.AddRange(devices);
            words.Add("-m 4G");
            return "#!/bin/sh\nGPU=0b:00\n# launch\nqemu-system-x86_64 " + string.Join(sep, words) + "\n";
        }
        // The devices in a multi-line array (a comment among them), the first one appended with +=.
        var array = "ARGS=(\n  " + string.Join("\n  # next\n  ", devices.Skip(1)) + "\n)\nARGS+=( " + devices[0] + " )\n";
        return "#!/bin/bash\nGPU=0b:00\n" + array + "qemu-system-x86_64 " + string.Join(sep, words) + sep + "\"${ARGS[@]}\"" + sep + "-m 4G\n";
    }

    private static List<string> Expansions(string text) =>
        QemuScript.Parse("vm.sh", text).All("device").SelectMany(a => a.Value!.Expansions)
            .Select(e => (e.InDoubleQuotes ? "quoted " : "bare ") + e.Raw).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Fixed_scripts_with_expansions_quotes_and_backslashes_still_read_in_lint_and_bash()
    {
        var dir = Directory.CreateTempSubdirectory("vfiokit-shellfix-");
        try
        {
            var applied = new ConcurrentBag<string>();
            var n = 0;
            Scripts.Sample(s =>
            {
                var text = Script(s);
                var doc = new ConfigDocument("vm.sh", text, ConfigFormat.Qemu);
                var result = Fixer.Fix(doc, new FixOptions(Unsafe: true));
                foreach (var f in result.Applied) applied.Add(f.RuleId);
                try
                {
                    Linter.Lint(doc with { Text = result.FixedText });
                }
                catch (InputException e)
                {
                    Assert.Fail($"lint cannot read the fixed script ({e.Message}):\n{result.FixedText}\nfrom:\n{text}");
                }
                // Every expansion that reached QEMU before still does, as written and quoted as it was.
                Assert.Equal(Expansions(text), Expansions(result.FixedText));
                var i = Interlocked.Increment(ref n);
                File.WriteAllText(Path.Combine(dir.FullName, $"{i:D4}-in.sh"), text);
                File.WriteAllText(Path.Combine(dir.FullName, $"{i:D4}-fixed.sh"), result.FixedText);
            }, iter: 300, seed: "0h12aShellFix1", threads: 1);

            // One bash reads every input and every fixed output: a generator bug shows as a bad input.
            var (exit, output) = ToolRun.Of("bash", "-c", "rc=0; for f in \"$1\"/*.sh; do bash -n \"$f\" || { echo \"BAD $f\"; cat \"$f\"; rc=1; }; done; exit $rc", "bash", dir.FullName);
            Assert.True(exit == 0, output);
            Assert.Equal(600, Directory.GetFiles(dir.FullName, "*.sh").Length);
            // The generator must make the fixes that rewrite -device words, or the property says little.
            Assert.Contains(RuleIds.PcieDeviceOnRootBus, applied);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_command_substitution_in_host_survives_the_root_port_fix()
    {
        // The reproduced bug: the second front end split the word at the space inside $(...) and wrote
        // "vfio-pci,id=gpu,host=$(cat,bus=vfiokit-rp1,addr=0x0.0x0" /tmp/gpu-addr),... which nothing could read.
        var text = "qemu-system-x86_64 -machine q35 \\\n  -device vfio-pci,id=gpu,host=$(cat /tmp/gpu-addr),bus=pcie.0,addr=0x5 \\\n  -m 4G\n";
        var result = Fixer.Fix(new ConfigDocument("vm.sh", text, ConfigFormat.Qemu), new FixOptions());
        Assert.Contains(result.Applied, f => f.RuleId == RuleIds.PcieDeviceOnRootBus);
        Assert.Contains("  -device vfio-pci,id=gpu,host=$(cat /tmp/gpu-addr),bus=vfiokit-rp1,addr=0x0.0x0 \\\n", result.FixedText);
        Assert.DoesNotContain(Linter.Lint(new ConfigDocument("vm.sh", result.FixedText, ConfigFormat.Qemu)).Findings, f => f.RuleId == RuleIds.PcieDeviceOnRootBus);
    }
}
