using VfioKit.Run;

namespace VfioKit.Tests.Run;

/// <summary>
/// Does to a sysfs-like tree what the kernel does when its files are written (binding host drivers cannot be done
/// safely on the test machine): driver_override, a driver's bind/unbind, drivers_probe, nr_hugepages (granting at
/// most <see cref="HugePageLimit"/> pages more), cgroup cpuset.cpus and cpuset.mems, a cgroup made and removed, and
/// what systemd does on `systemctl set-property SLICE AllowedCPUs=` (systemd cannot run on the test machine). Real files are written through
/// <see cref="RootedHostFiles"/> first, so a directory in their place fails the way it would. Faults: <see cref="Fail"/>
/// makes the Nth write attempted (0-based) refused, <see cref="Before"/> and <see cref="After"/> see each write by number.
/// </summary>
public sealed class KernelStandIn(string root, IReadOnlyDictionary<string, string> nativeDrivers) : IHostFiles
{
    private readonly RootedHostFiles _files = new(root);

    public string Root => _files.Root;
    public List<HostWrite> Writes { get; } = [];
    public int? Fail { get; set; }
    public long HugePageLimit { get; set; } = long.MaxValue;
    public Action<int>? Before { get; set; }
    public Action<int>? After { get; set; }

    private int _attempts;

    public string? ReadText(string path) => _files.ReadText(path);
    public string? LinkName(string path) => _files.LinkName(path);
    public bool IsDirectory(string path) => _files.IsDirectory(path);
    public IReadOnlyList<string> Directories(string path) => _files.Directories(path);

    /// <summary>The commands run in place of systemd's (a tree has no systemd), in order.</summary>
    public List<IReadOnlyList<string>> Commands { get; } = [];

    public void Write(HostWrite write)
    {
        var n = Writes.Count;
        Before?.Invoke(n);
        if (Fail == _attempts++) throw new HostChangeException($"{write} failed: No such device (injected)");
        Writes.Add(write);
        Effect(write);
        After?.Invoke(n);
    }

    private void Effect(HostWrite write)
    {
        if (write.Kind is HostWriteKind.MakeDirectory or HostWriteKind.RemoveDirectory)
        {
            // The tree's writer makes and removes a cgroup's files as the kernel does.
            _files.Write(write);
            return;
        }
        if (write.Kind == HostWriteKind.Command)
        {
            // systemd on cgroup v2: `systemctl set-property --runtime -- SLICE AllowedCPUs=X` ends in the slice's
            // cpuset.cpus ("AllowedCPUs=" empties it). Its runtime drop-in under /run/systemd/system.control is not modelled.
            if (write.Argv is not ["systemctl", "set-property", "--runtime", "--", var slice, var property] || !property.StartsWith("AllowedCPUs=", StringComparison.Ordinal))
                throw new HostChangeException($"{write} failed: not a command the stand-in knows");
            Commands.Add(write.Argv);
            File.WriteAllText(_files.FullPath($"sys/fs/cgroup/{slice}/cpuset.cpus"), property["AllowedCPUs=".Length..] + "\n");
            return;
        }
        var path = write.Path;
        var value = write.Value.TrimEnd('\n');
        var parts = path.Split('/');
        if (path.EndsWith("/driver_override", StringComparison.Ordinal))
        {
            _files.Write(write);
            File.WriteAllText(_files.FullPath(path), value.Length == 0 ? "(null)\n" : value + "\n");
        }
        else if (path == DriverBinding.DriversProbe)
        {
            if (LinkName($"sys/bus/pci/devices/{value}/driver") is not null) return;
            var over = ReadText($"sys/bus/pci/devices/{value}/driver_override");
            var driver = over is null or "(null)" ? nativeDrivers.GetValueOrDefault(value) : over;
            if (driver is not null && Directory.Exists(_files.FullPath($"sys/bus/pci/drivers/{driver}"))) Link(Root, value, driver);
        }
        else if (parts is ["sys", "bus", "pci", "drivers", var driver, "unbind"])
        {
            if (LinkName($"sys/bus/pci/devices/{value}/driver") != driver) throw new HostChangeException($"{write} failed: No such device");
            File.Delete(_files.FullPath($"sys/bus/pci/devices/{value}/driver"));
            File.Delete(_files.FullPath($"sys/bus/pci/drivers/{driver}/{value}"));
        }
        else if (parts is ["sys", "bus", "pci", "drivers", var target, "bind"])
        {
            var over = ReadText($"sys/bus/pci/devices/{value}/driver_override");
            if (LinkName($"sys/bus/pci/devices/{value}/driver") is not null || over is not (null or "(null)") && over != target
                || !Directory.Exists(_files.FullPath($"sys/bus/pci/drivers/{target}")))
                throw new HostChangeException($"{write} failed: No such device");
            Link(Root, value, target);
        }
        else if (path.EndsWith("/nr_hugepages", StringComparison.Ordinal))
        {
            var oldText = ReadText(path);
            _files.Write(write);
            var old = long.Parse(oldText!);
            var asked = long.Parse(value);
            var granted = asked > old ? old + Math.Min(asked - old, HugePageLimit) : asked;
            File.WriteAllText(_files.FullPath(path), $"{granted}\n");
            Adjust(Path.GetDirectoryName(path)! + "/free_hugepages", granted - old);
            // A node's pages are the global pool's too.
            if (path.StartsWith("sys/devices/system/node/", StringComparison.Ordinal))
            {
                var global = $"sys/kernel/mm/hugepages/{parts[^2]}";
                Adjust($"{global}/nr_hugepages", granted - old);
                Adjust($"{global}/free_hugepages", granted - old);
            }
        }
        else if (path.EndsWith("/cpuset.cpus", StringComparison.Ordinal) || path.EndsWith("/cpuset.mems", StringComparison.Ordinal))
        {
            _files.Write(write);
            File.WriteAllText(_files.FullPath(path), value + "\n");
        }
        else throw new HostChangeException($"{write} failed: Permission denied (not a file the stand-in knows)");
    }

    private void Adjust(string path, long delta)
    {
        if (ReadText(path) is { } text) File.WriteAllText(_files.FullPath(path), $"{long.Parse(text) + delta}\n");
    }

    /// <summary>The two links the kernel makes when a driver binds a device, relative as sysfs makes them.</summary>
    public static void Link(string root, string address, string driver)
    {
        var device = new DirectoryInfo(Path.Combine(root, "sys/bus/pci/devices", address)).ResolveLinkTarget(true)!.FullName;
        var driverDir = Path.Combine(root, "sys/bus/pci/drivers", driver);
        File.CreateSymbolicLink(Path.Combine(device, "driver"), Path.GetRelativePath(device, driverDir));
        File.CreateSymbolicLink(Path.Combine(driverDir, address), Path.GetRelativePath(driverDir, device));
    }
}
