using VfioKit.Diagnostics;
using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Formats.Qemu;

/// <summary>
/// Reads QEMU options (after the binary name) into an unplaced <see cref="VmTopology"/>: the machine,
/// PCI devices in command-line order, -global, default-device switches. Options that do not shape the
/// PCI tree are skipped; ones that would and are not modelled (-readconfig, -set) are listed in
/// <see cref="VmTopology.Unsupported"/>.
/// </summary>
internal static class QemuArgvReader
{
    /// <param name="readAround">When given, a PCI device on a bus that does not exist is not an error (QEMU's):
    /// it is listed here and read without its bus= and addr=, where QEMU would place such a device (lint's VK110).</param>
    /// <param name="appendTo">When given, the arguments are ones another tool appends to the command line it built
    /// for this topology (libvirt's &lt;qemu:commandline&gt;, Proxmox's args:): their devices may sit on its buses and
    /// are added after its devices, unplaced, the order in which QEMU creates them.</param>
    /// <param name="generatedAsJson">The generated devices were passed as JSON -device (libvirt does): QEMU creates them
    /// after every key=value -device, so appended key=value devices come first and cannot sit on their buses.</param>
    public static VmTopology Read(IReadOnlyList<QemuArgument> args, List<UnknownBus>? readAround = null, VmTopology? appendTo = null,
        bool generatedAsJson = false)
    {
        string? machineType = null;
        var machineOptions = new List<MachineOption>();
        SourceLocation? machineWhere = null;
        var devices = new List<(VmDevice Device, ShellWord Arg)>();
        var globals = new List<GlobalProperty>();
        var unsupported = new List<string>();
        var nics = new List<string>();
        var sound = new List<string>();
        var removed = new List<RemovedOption>();
        bool noDefaults = false, noDefaultNic = false;
        string? vga = null;

        foreach (var arg in args)
        {
            var name = arg.Name;
            if (arg.Value is not { } value)
            {
                switch (name)
                {
                    case "nodefaults": noDefaults = true; break;
                    case "usb": machineOptions.Add(new MachineOption("usb", "on")); break;
                }
                continue;
            }
            switch (name)
            {
                case "M" or "machine":
                    machineWhere ??= value.Location;
                    foreach (var (k, v) in OptionList.Parse(value.Text, value.Location, "type"))
                    {
                        if (k == "type") machineType = v;
                        else machineOptions.Add(new MachineOption(k, v));
                    }
                    break;
                case "device":
                    if (value.Text == "help" || value.Text.EndsWith(",help", StringComparison.Ordinal) || value.Text.EndsWith(",?", StringComparison.Ordinal))
                    {
                        unsupported.Add($"-device {value.Text}");
                        break;
                    }
                    var props = DeviceJson.LooksLikeJson(value.Text)
                        ? DeviceJson.Parse(value.Text, value.Location)
                        : OptionList.Parse(value.Text, value.Location, "driver");
                    var device = DeviceMapping.WithWrittenHost(DeviceMapping.ToDevice(props, value.Location), value);
                    // QEMU refuses a second device with an id already taken (qdev_set_id).
                    if (device.Id is { } id && !id.Contains('$') && devices.Exists(d => d.Item1.Id == id))
                        throw new InputException(value.Location.File, value.Location.Line, value.Location.Column, $"Duplicate ID '{id}' for device");
                    devices.Add((device, value));
                    break;
                case "global":
                    globals.Add(ReadGlobal(value));
                    break;
                case "vga":
                    vga = value.Text;
                    break;
                case "nic":
                    noDefaultNic = true;
                    if (value.Text != "none") nics.Add(NicModel(value, "model"));
                    break;
                case "net":
                    noDefaultNic = true;
                    if (value.Text == "nic" || value.Text.StartsWith("nic,", StringComparison.Ordinal)) nics.Add(NicModel(value, "model"));
                    break;
                case "netdev":
                    noDefaultNic = true;
                    break;
                case "soundhw":
                    removed.Add(QemuRemovedOptions.Of(name, value.Text, arg.Option.Location)!);
                    foreach (var model in value.Text.Split(','))
                        if (QemuRemovedOptions.SoundCard(model) is { } card) sound.Add(card);
                        else if (model == "all") unsupported.Add($"-soundhw {value.Text}");
                    break;
                case "audio":
                    foreach (var (k, v) in OptionList.Parse(value.Text, value.Location, "driver"))
                        if (k == "model" && QemuRemovedOptions.SoundCard(v) is { } card) sound.Add(card);
                    break;
                case "readconfig" or "set":
                    unsupported.Add($"-{name} {value.Text}");
                    break;
                case "drive":
                    if (value.Text.Contains("if=virtio", StringComparison.Ordinal)) unsupported.Add($"-drive {value.Text}");
                    break;
            }
        }

        var family = MachineFamily.I440fx;
        MachineVersion? version = null;
        var type = machineType ?? "pc";
        if (!Machine.TryParseType(type, out family, out version) && appendTo is null)
        {
            var w = machineWhere!;
            throw new InputException(w.File, w.Line, w.Column, $"machine type '{type}' is not supported (expected q35, pc-q35-N.M, pc or pc-i440fx-N.M)");
        }
        // QEMU merges a second -machine into the first (its options are a merged list): appended options add to the machine's.
        var machine = appendTo is { Machine: var m } ? m with { Options = new ValueList<MachineOption>(m.Options.Concat(machineOptions)) } : new Machine(family, version, type, new ValueList<MachineOption>(machineOptions));

        // Which -device entries are PCI: known PCI drivers, anything with addr=, or anything on a PCI bus.
        var busIds = new HashSet<string> { machine.RootBusId };
        var generatedBuses = appendTo?.Buses.Select(b => b.Id).Where(b => b != machine.RootBusId).ToHashSet() ?? [];
        foreach (var (d, _) in devices)
            if (d.Controller is not null && d.Id is not null) busIds.Add(d.Id);
        // QEMU creates every key=value -device first, then the JSON ones (vl.c qemu_create_cli_devices:
        // QemuOpts "device" list, then device_opts), so that is the order devices are placed in.
        var created = devices.Where(d => !DeviceJson.LooksLikeJson(d.Arg.Text)).Concat(devices.Where(d => DeviceJson.LooksLikeJson(d.Arg.Text)));
        var pci = new List<VmDevice>();
        var first = new List<VmDevice>();
        foreach (var (read, arg) in created)
        {
            var d = read;
            var early = generatedAsJson && !DeviceJson.LooksLikeJson(arg.Text);
            if (appendTo is not null && !early) busIds.UnionWith(generatedBuses);
            var isPci = DeviceCatalog.IsPci(d.Driver) || d.Address is not null || (d.Bus is not null && busIds.Contains(d.Bus));
            if (!isPci)
            {
                continue;
            }
            if (d.Bus is not null && !busIds.Contains(d.Bus))
            {
                var w = d.Source!;
                if (readAround is not null)
                {
                    readAround.Add(new UnknownBus(w.Line, d.Id ?? d.Driver, d.Bus));
                    d = d with { Bus = null, Address = null };
                    if (!DeviceCatalog.IsPci(d.Driver)) continue;
                    pci.Add(d);
                    continue;
                }
                throw new InputException(w.File, w.Line, w.Column,
                    $"bus={d.Bus}: no such bus (known: {string.Join(", ", busIds.Order(StringComparer.Ordinal))})" +
                    (early && generatedBuses.Contains(d.Bus)
                        ? "; libvirt passes its own devices as JSON, which QEMU creates after every key=value -device of <qemu:commandline>, so its buses do not exist yet"
                        : ""));
            }
            (early ? first : pci).Add(d);
        }

        if (appendTo is not null)
            return appendTo with
            {
                Devices = new ValueList<VmDevice>(first.Concat(appendTo.Devices).Concat(pci)),
                Globals = new ValueList<GlobalProperty>(appendTo.Globals.Concat(globals)),
                Unsupported = new ValueList<string>(appendTo.Unsupported.Concat(unsupported)),
                Defaults = appendTo.Defaults with { SoundCards = new ValueList<string>(appendTo.Defaults.SoundCards.Concat(sound)) },
                Removed = new ValueList<RemovedOption>(appendTo.Removed.Concat(removed)),
            };
        return new VmTopology(machine, new ValueList<VmDevice>(pci))
        {
            Globals = new ValueList<GlobalProperty>(globals),
            Defaults = new DefaultDevices(noDefaults, vga, noDefaultNic) { Nics = new ValueList<string>(nics), SoundCards = new ValueList<string>(sound) },
            Removed = new ValueList<RemovedOption>(removed),
            Unsupported = new ValueList<string>(unsupported),
        };
    }

    private static GlobalProperty ReadGlobal(ShellWord value)
    {
        var w = value.Location;
        var text = value.Text;
        if (text.Contains("driver=", StringComparison.Ordinal) && text.Contains("property=", StringComparison.Ordinal))
        {
            var props = OptionList.Parse(text, w, null);
            string? Get(string key) => props.LastOrDefault(p => p.Key == key).Value;
            var (driver, property) = (Get("driver"), Get("property"));
            if (driver is null || property is null)
                throw new InputException(w.File, w.Line, w.Column, $"-global {text}: expected driver=D,property=P,value=V");
            return new GlobalProperty(driver, property, Get("value") ?? "");
        }
        var eq = text.IndexOf('=');
        var dot = eq < 0 ? -1 : text.LastIndexOf('.', eq);
        if (eq < 0 || dot <= 0)
            throw new InputException(w.File, w.Line, w.Column, $"-global {text}: expected DRIVER.PROPERTY=VALUE");
        return new GlobalProperty(text[..dot], text[(dot + 1)..eq], text[(eq + 1)..]);
    }

    private static string NicModel(ShellWord value, string key)
    {
        foreach (var (k, v) in OptionList.Parse(value.Text, value.Location, "type"))
            if (k == key) return v == "virtio" ? "virtio-net-pci" : v;
        return "";
    }
}
