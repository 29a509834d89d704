using VfioKit.Host.Cpu;

namespace VfioKit.Runtime;

/// <summary>The CPUs a process's cgroup lets it use (cgroup v2 cpuset.cpus.effective, v1 cpuset.effective_cpus):
/// the kernel silently narrows any affinity mask to these.</summary>
public static class CgroupCpuset
{
    public static CpuList? Read(SysfsText fs, int pid)
    {
        var text = fs.TryRead($"proc/{pid}/cgroup");
        if (text is null) return null;
        foreach (var line in text.Split('\n'))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3) continue;
            var path = parts[2].Trim().TrimStart('/');
            string file;
            if (parts[0] == "0" && parts[1].Length == 0) file = Path.Combine("sys/fs/cgroup", path, "cpuset.cpus.effective");
            else if (parts[1].Split(',').Contains("cpuset")) file = Path.Combine("sys/fs/cgroup/cpuset", path, "cpuset.effective_cpus");
            else continue;
            if (fs.TryRead(file) is { } cpus && CpuList.TryParse(cpus, out var list) && !list.IsEmpty) return list;
        }
        return null;
    }
}
