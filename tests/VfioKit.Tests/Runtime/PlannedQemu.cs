using System.Diagnostics;
using System.Text.Json;
using VfioKit.Tests.Cli;

namespace VfioKit.Tests.Runtime;

/// <summary>
/// One real QEMU (TCG, paused with -S) for the runtime tests, started with the options `vfiokit plan` generates
/// for this machine (2 vCPUs, 128 MiB bound to node 0, one iothread), so its start is also the test that QEMU
/// accepts them. Threads are named (-name ...,debug-threads=on) and QMP listens on a unix socket.
/// </summary>
public sealed class PlannedQemu : IDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _dir;

    public int Pid => _process.Id;
    public string QmpSocket { get; }
    public IReadOnlyList<string> PlanArgs { get; }
    public string Stderr => _stderr.ToString();
    private readonly System.Text.StringBuilder _stderr = new();

    public PlannedQemu()
    {
        _dir = Directory.CreateTempSubdirectory("vk-pin-");
        QmpSocket = Path.Combine(_dir.FullName, "qmp.sock");

        var plan = CliRun.Of("plan", "--vcpus", "2", "--reserve", "none", "--memory", "128M", "--hugepages", "none", "--json");
        if (plan.ExitCode != 0) throw new InvalidOperationException($"vfiokit plan failed: {plan.Error}");
        using (var doc = JsonDocument.Parse(plan.Out))
            PlanArgs = doc.RootElement.GetProperty("qemuArgs").EnumerateArray().Select(a => a.GetString()!).ToArray();

        var psi = new ProcessStartInfo("qemu-system-x86_64") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var a in (string[])["-M", "q35", "-accel", "tcg,thread=multi", "-nographic", "-nodefaults", "-name", "vk,debug-threads=on",
                     "-qmp", $"unix:{QmpSocket},server=on,wait=off", "-S"])
            psi.ArgumentList.Add(a);
        foreach (var a in PlanArgs) psi.ArgumentList.Add(a);
        try { _process = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("qemu-system-x86_64 is needed by the runtime tests (scripts/install-deps.sh installs it)", e);
        }
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginErrorReadLine();

        // QEMU creates the socket once the machine is built (vCPU threads exist by then).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(QmpSocket) || VcpuThreads().Count < 2)
        {
            if (_process.HasExited) throw new InvalidOperationException($"QEMU exited ({_process.ExitCode}) with the plan's options {string.Join(" ", PlanArgs)}: {Stderr}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("QEMU did not start within 20 s");
            Thread.Sleep(100);
        }
    }

    /// <summary>Thread ids by name, read from /proc directly (the tests' own view, not vfiokit's).</summary>
    public Dictionary<string, int> ThreadsByName() =>
        Directory.EnumerateDirectories($"/proc/{Pid}/task")
            .Select(d => (Tid: int.Parse(Path.GetFileName(d)), Name: File.ReadAllText(Path.Combine(d, "comm")).TrimEnd('\n')))
            .GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First().Tid);

    public Dictionary<string, int> VcpuThreads() =>
        ThreadsByName().Where(kv => kv.Key.StartsWith("CPU ", StringComparison.Ordinal)).ToDictionary();

    /// <summary>Cpus_allowed_list of every thread, as /proc shows it.</summary>
    public Dictionary<int, string> Masks() =>
        Directory.EnumerateDirectories($"/proc/{Pid}/task").ToDictionary(
            d => int.Parse(Path.GetFileName(d)),
            d => File.ReadAllLines(Path.Combine(d, "status")).Single(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))
                .Split(':')[1].Trim());

    public string Mask(int tid) => Masks()[tid];

    /// <summary>A plan file in the form `vfiokit plan --json` writes.</summary>
    public string PlanFile(string json)
    {
        var path = Path.Combine(_dir.FullName, $"plan-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    public string Dir => _dir.FullName;

    public void Dispose()
    {
        try { if (!_process.HasExited) { _process.Kill(); _process.WaitForExit(5000); } }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { _dir.Delete(true); } catch (IOException) { }
    }
}

[CollectionDefinition("planned-qemu")]
public sealed class PlannedQemuCollection : ICollectionFixture<PlannedQemu>;
