using System.Globalization;
using VfioKit.Diagnostics;
using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Formats.Qemu;

/// <summary>Turns the properties of one -device into a <see cref="VmDevice"/> and back.</summary>
internal static class DeviceMapping
{
    public static VmDevice ToDevice(IReadOnlyList<OptionProperty> props, SourceLocation where)
    {
        string? driver = null, id = null, bus = null, host = null, sysfs = null, romfile = null, ioReserve = null;
        GuestAddress? addr = null;
        bool multifunction = false, xvga = false;
        bool? rombar = null, hotplug = null, shpc = null;
        int? chassis = null, slot = null, port = null, width = null, busNr = null, numa = null, chassisNr = null;
        Pci.LinkSpeed? speed = null;
        var other = new List<DeviceProperty>();

        foreach (var (key, value) in props)
        {
            // Values with shell expansions ("$CHASSIS") cannot be read; keep them as written.
            var symbolic = value.Contains('$') && key is not ("host" or "sysfsdev" or "romfile" or "id" or "driver");
            if (symbolic) { other.Add(new DeviceProperty(key, value)); continue; }
            switch (key)
            {
                // vfio-pci-nohotplug is vfio-pci that cannot be unplugged (hw/vfio/pci.c), what libvirt writes for a
                // hostdev with display='on' or ramfb='on': the same passthrough for every rule and for probe.
                case "driver": driver = value == "vfio-pci-nohotplug" ? "vfio-pci" : QdevAliases.TypeName(value); break;
                case "id": id = value; break;
                case "bus": bus = value; break;
                case "addr": addr = ReadAddr(value, where); break;
                case "multifunction": multifunction = PropertyValues.Bool(key, value, where); break;
                case "host": host = value; break;
                case "sysfsdev": sysfs = value; break;
                case "romfile": romfile = value; break;
                case "rombar": rombar = PropertyValues.UInt(key, value, where, int.MaxValue) != 0; break;
                case "x-vga": xvga = PropertyValues.Bool(key, value, where); break;
                case "chassis": chassis = PropertyValues.UInt(key, value, where, 255); break;
                case "slot": slot = PropertyValues.UInt(key, value, where, 65535); break;
                case "port": port = PropertyValues.UInt(key, value, where, 255); break;
                case PortLinkProperties.Speed: speed = PropertyValues.Speed(key, value, where); break;
                case PortLinkProperties.Width: width = PropertyValues.Width(key, value, where); break;
                case "hotplug": hotplug = PropertyValues.Bool(key, value, where); break;
                case "io-reserve": ioReserve = value; break;
                case "bus_nr": busNr = PropertyValues.UInt(key, value, where, 255); break;
                case "numa_node": numa = PropertyValues.UInt(key, value, where, 65535); break;
                case "chassis_nr": chassisNr = PropertyValues.UInt(key, value, where, 255); break;
                case "shpc": shpc = PropertyValues.Bool(key, value, where); break;
                default: other.Add(new DeviceProperty(key, value)); break;
            }
        }
        if (string.IsNullOrEmpty(driver))
            throw new InputException(where.File, where.Line, where.Column, "-device without a driver");

        ControllerModels.TryFromDriver(driver, out var model);
        var isController = ControllerModels.TryFromDriver(driver, out _);
        PassthroughSettings? passthrough = null;
        if (driver == "vfio-pci")
        {
            if (host is null && sysfs is null)
                throw new InputException(where.File, where.Line, where.Column, "vfio-pci needs host= or sysfsdev=");
            passthrough = new PassthroughSettings(host is not null ? HostSource.FromHost(host) : HostSource.FromSysfs(sysfs!), romfile, rombar, xvga);
        }
        else
        {
            // Properties that only vfio-pci models are kept as written for other drivers.
            if (host is not null) other.Add(new DeviceProperty("host", host));
            if (sysfs is not null) other.Add(new DeviceProperty("sysfsdev", sysfs));
            if (romfile is not null) other.Add(new DeviceProperty("romfile", romfile));
            if (rombar is not null) other.Add(new DeviceProperty("rombar", rombar.Value ? "1" : "0"));
            if (xvga) other.Add(new DeviceProperty("x-vga", "on"));
        }

        PortSettings? portSettings = null;
        if (isController && model.IsPort())
            portSettings = new PortSettings(chassis, slot, port, speed, width, hotplug, ioReserve);
        else
            KeepUnmodelled(other, ("chassis", chassis), ("slot", slot), ("port", port), (PortLinkProperties.Width, width));
        if (!(isController && model.IsPort()))
        {
            if (speed is { } s) other.Add(new DeviceProperty(PortLinkProperties.Speed, PortLinkProperties.SpeedText(s)));
            if (hotplug is { } h) other.Add(new DeviceProperty("hotplug", h ? "on" : "off"));
            if (ioReserve is not null && !(isController && model == ControllerModel.PciBridge)) other.Add(new DeviceProperty("io-reserve", ioReserve));
        }

        ExpanderSettings? expander = null;
        if (isController && model.IsExpander()) expander = new ExpanderSettings(busNr ?? 0, numa);
        else KeepUnmodelled(other, ("bus_nr", busNr), ("numa_node", numa));

        BridgeSettings? bridge = null;
        if (isController && model == ControllerModel.PciBridge)
        {
            bridge = new BridgeSettings(chassisNr, shpc);
            if (ioReserve is not null) other.Add(new DeviceProperty("io-reserve", ioReserve));
        }
        else
        {
            KeepUnmodelled(other, ("chassis_nr", chassisNr));
            if (shpc is { } sh) other.Add(new DeviceProperty("shpc", sh ? "on" : "off"));
        }

        return new VmDevice
        {
            Driver = driver,
            Id = id,
            Bus = bus,
            Address = addr,
            Multifunction = multifunction,
            Port = portSettings,
            Expander = expander,
            Bridge = bridge,
            Passthrough = passthrough,
            Properties = new ValueList<DeviceProperty>(other),
            Source = where,
        };
    }

    /// <summary>
    /// A device read from a word whose variables were resolved (host=$GPU.0 with GPU=01:00): its host as written,
    /// with the resolved address, so the device is one function whichever way it is written, and is shown and
    /// written back as the script has it.
    /// </summary>
    public static VmDevice WithWrittenHost(VmDevice device, ShellWord word)
    {
        if (word.Written == word.Text || device.Passthrough is not { } pt) return device;
        var key = pt.Host.IsSysfsPath ? "sysfsdev" : "host";
        string? written = null;
        try
        {
            foreach (var (k, v) in OptionList.Parse(word.Written, word.Location, "driver")) if (k == key) written = v;
        }
        catch (Diagnostics.InputException)
        {
            return device;
        }
        return written is null || written == pt.Host.Text ? device : device with { Passthrough = pt with { Host = pt.Host with { Text = written } } };
    }

    /// <summary>The properties to write for a device: modelled ones first, then the rest as read.</summary>
    public static IReadOnlyList<OptionProperty> ToProperties(VmDevice d)
    {
        var p = new List<OptionProperty> { new("driver", d.Driver) };
        void Add(string key, string? value) { if (value is not null) p.Add(new OptionProperty(key, value)); }
        static string? Num(int? n) => n?.ToString(CultureInfo.InvariantCulture);
        static string? OnOff(bool? b) => b is null ? null : b.Value ? "on" : "off";

        Add("id", d.Id);
        Add("bus", d.Bus);
        Add("addr", d.Address?.ToString());
        if (d.Multifunction) Add("multifunction", "on");
        if (d.Passthrough is { } pt)
        {
            Add(pt.Host.IsSysfsPath ? "sysfsdev" : "host", pt.Host.Text);
            Add("romfile", pt.RomFile);
            Add("rombar", pt.RomBar is null ? null : pt.RomBar.Value ? "1" : "0");
            if (pt.XVga) Add("x-vga", "on");
        }
        if (d.Port is { } port)
        {
            Add("chassis", Num(port.Chassis));
            Add("slot", Num(port.Slot));
            Add("port", Num(port.Port));
            Add(PortLinkProperties.Speed, port.Speed is { } s ? PortLinkProperties.SpeedText(s) : null);
            Add(PortLinkProperties.Width, Num(port.Width));
            Add("hotplug", OnOff(port.Hotplug));
            Add("io-reserve", port.IoReserve);
        }
        if (d.Expander is { } x)
        {
            Add("bus_nr", Num(x.BusNr));
            Add("numa_node", Num(x.NumaNode));
        }
        if (d.Bridge is { } b)
        {
            Add("chassis_nr", Num(b.ChassisNr));
            Add("shpc", OnOff(b.Shpc));
        }
        foreach (var (key, value) in d.Properties) p.Add(new OptionProperty(key, value));
        return p;
    }

    private static GuestAddress ReadAddr(string value, SourceLocation where) => PropertyValues.Address(value, where);

    private static void KeepUnmodelled(List<DeviceProperty> other, params (string Key, int? Value)[] values)
    {
        foreach (var (key, value) in values)
            if (value is { } v) other.Add(new DeviceProperty(key, v.ToString(CultureInfo.InvariantCulture)));
    }
}
