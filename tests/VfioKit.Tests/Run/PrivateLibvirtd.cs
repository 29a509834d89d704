using System.Diagnostics;
using VfioKit.Tests.Lab;

namespace VfioKit.Tests.Run;

/// <summary>
/// A libvirtd of one test's own, for what the suite's shared daemon cannot do: libvirtd reads its hooks only from
/// /etc/libvirt/hooks, and only when it starts. It runs in a mount namespace of its own (unshare -m, private
/// propagation), where temporary directories are bind-mounted over /etc/libvirt (a qemu.conf that runs QEMU as root
/// with no cgroups, namespaces, security driver or virtlogd), /etc/libvirt/hooks (the directory given), /run/libvirt,
/// /var/lib/libvirt, /var/cache/libvirt and /var/log/libvirt: the machine's own are never touched, and the mounts
/// end with the daemon. Clients reach it through its socket (<see cref="Uri"/>). Disposing destroys every domain it
/// still runs, stops it (SIGTERM, by pid) and removes every temporary directory.
/// </summary>
public sealed class PrivateLibvirtd : IDisposable
{
    /// <summary>Bind mounts, then libvirtd in place of the shell; the paths come as "$1" and "$2", never inside the script.</summary>
    private const string Script =
        """mount --bind "$1/etc" /etc/libvirt && mount --bind "$2" /etc/libvirt/hooks && mount --bind "$1/run" /run/libvirt && """ +
        """mount --bind "$1/lib" /var/lib/libvirt && mount --bind "$1/cache" /var/cache/libvirt && mount --bind "$1/log" /var/log/libvirt && """ +
        """exec libvirtd --pid-file "$1/libvirtd.pid" --config "$1/etc/libvirtd.conf" """;

    private const string QemuConf = """
        user = "root"
        group = "root"
        dynamic_ownership = 0
        security_driver = "none"
        cgroup_controllers = [ ]
        namespaces = [ ]
        stdio_handler = "file"

        """;

    private readonly TempDirectory _dir = new("vk-libvirtd-");
    private readonly Process _daemon;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    public string Uri { get; }

    public PrivateLibvirtd(string hooks)
    {
        foreach (var sub in new[] { "etc/hooks", "run", "lib", "cache", "log" }) Directory.CreateDirectory(_dir.File(sub));
        File.WriteAllText(_dir.File("etc/qemu.conf"), QemuConf);
        File.WriteAllText(_dir.File("etc/libvirtd.conf"), "");
        var start = new ProcessStartInfo("unshare")
        {
            ArgumentList = { "--mount", "--propagation", "private", "--", "/bin/sh", "-c", Script, "sh", _dir.Path, hooks },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _daemon = Process.Start(start)!;
        _daemon.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _daemon.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _daemon.BeginOutputReadLine();
        _daemon.BeginErrorReadLine();
        Uri = $"qemu:///system?socket={_dir.File("run/libvirt-sock")}";
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!(File.Exists(_dir.File("run/libvirt-sock")) && Virsh("version").Exit == 0))
        {
            if (_daemon.HasExited || DateTime.UtcNow > deadline)
            {
                // Read the exit and the log before Dispose: a disposed Process answers nothing.
                var exit = _daemon.HasExited ? _daemon.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none";
                var log = Log();
                Dispose();
                throw new InvalidOperationException($"the private libvirtd did not answer (exit {exit}); its log: {log}");
            }
            Thread.Sleep(300);
        }
    }

    public (int Exit, string Out, string Err) Virsh(params string[] args) => LibvirtdFixture.Run("virsh", ["-c", Uri, .. args]);

    /// <summary>The end of what the daemon printed (its log goes to stderr), for failure messages.</summary>
    public string Log() => string.Join('\n', _output.TakeLast(20));

    /// <summary>The domain's QEMU log (libvirt writes it to the log directory without virtlogd).</summary>
    public string QemuLog(string domain)
    {
        var log = _dir.File($"log/qemu/{domain}.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(none)";
    }

    public void Dispose()
    {
        if (!_daemon.HasExited)
        {
            // A QEMU outlives libvirtd's exit: every domain goes first.
            foreach (var name in Virsh("list", "--name").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                Virsh("destroy", name);
            // unshare exec'd the shell, which exec'd libvirtd: this pid is the daemon's.
            LibvirtdFixture.Run("kill", "-TERM", _daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!_daemon.WaitForExit(TimeSpan.FromSeconds(30))) _daemon.Kill();
            _daemon.WaitForExit();
        }
        _daemon.Dispose();
        _dir.Dispose();
    }
}
