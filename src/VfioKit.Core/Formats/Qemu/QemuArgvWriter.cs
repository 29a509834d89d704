using System.Text;
using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Formats.Qemu;

/// <summary>
/// Writes a topology as QEMU options: -machine, default-device switches, -global, then one
/// `-device driver,key=value,...` per configured device (the machine's implicit devices are not written).
/// Only what was written in the configuration is written back, so reading the result gives the same topology.
/// </summary>
internal static class QemuArgvWriter
{
    public static IReadOnlyList<string> Write(VmTopology t)
    {
        var argv = new List<string>();
        var machine = new List<OptionProperty> { new("type", t.Machine.Type) };
        machine.AddRange(t.Machine.Options.Select(o => new OptionProperty(o.Key, o.Value)));
        argv.Add("-machine");
        argv.Add(OptionList.Format(machine, "type"));
        if (t.Defaults.NoDefaults) argv.Add("-nodefaults");
        if (t.Defaults.Vga is { } vga) { argv.Add("-vga"); argv.Add(vga); }
        if (t.Defaults.NoDefaultNic && t.Defaults.Nics.Count == 0) { argv.Add("-nic"); argv.Add("none"); }
        foreach (var nic in t.Defaults.Nics)
        {
            argv.Add("-nic");
            argv.Add(nic.Length == 0 ? "user" : "user,model=" + OptionList.Escape(nic));
        }
        // -audio (QEMU 7.1+; -soundhw before) creates the card with the machine, before any -device, as the reader placed it.
        foreach (var card in t.Defaults.SoundCards)
        {
            argv.Add("-audio");
            argv.Add("none,model=" + QemuRemovedOptions.SoundModel(card));
        }
        foreach (var g in t.Globals)
        {
            argv.Add("-global");
            argv.Add(g.Driver.Contains('.') ? $"driver={g.Driver},property={g.Property},value={OptionList.Escape(g.Value)}" : g.ToString());
        }
        foreach (var u in t.Unsupported)
        {
            var space = u.IndexOf(' ');
            argv.Add(u[..space]);
            argv.Add(u[(space + 1)..]);
        }
        foreach (var d in t.Devices)
        {
            if (d.IsImplicit) continue;
            argv.Add("-device");
            argv.Add(OptionList.Format(DeviceMapping.ToProperties(d), "driver"));
        }
        return argv;
    }

    /// <summary>A launch script: the binary and one option per line, every word quoted for the shell.</summary>
    public static string WriteScript(VmTopology t, string binary)
    {
        var sb = new StringBuilder("#!/bin/sh\n");
        sb.Append("exec ").Append(ShellQuoting.Quote(binary));
        var argv = Write(t);
        for (var i = 0; i < argv.Count; i++)
        {
            sb.Append(" \\\n  ").Append(ShellQuoting.Quote(argv[i]));
            if (i + 1 < argv.Count && QemuOptionTable.Name(argv[i]) is { } name && !QemuOptionTable.IsFlag(name))
                sb.Append(' ').Append(ShellQuoting.Quote(argv[++i]));
        }
        return sb.Append('\n').ToString();
    }
}
