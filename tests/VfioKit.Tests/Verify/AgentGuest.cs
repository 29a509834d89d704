using System.Diagnostics;
using VfioKit.Probe;
using VfioKit.Tests.Probe;

namespace VfioKit.Tests.Verify;

/// <summary>
/// A lab guest with a real guest agent: the lab kernel, and an initramfs of busybox, Debian's qemu-ga with the shared
/// libraries ldd names for it, and the lab kernel's virtio modules (virtio_ring, virtio, virtio_pci and its two
/// halves, virtio_console: modules in Debian's kernel, so loaded by insmod in dependency order). /init finds the
/// virtio port named org.qemu.guest_agent.0 under /sys/class/virtio-ports and runs qemu-ga on it in the foreground;
/// a guest without that port waits to be destroyed. No pciutils: verify's collector reads sysfs.
/// </summary>
internal static class AgentGuest
{
    public const string AgentPortMarker = "@agent-port";

    private static readonly string[] Applets = ["sh", "mount", "insmod", "sleep", "poweroff", "od", "cat", "ls"];
    private static readonly string[] Modules =
    [
        "drivers/virtio/virtio_ring.ko", "drivers/virtio/virtio.ko", "drivers/virtio/virtio_pci_legacy_dev.ko",
        "drivers/virtio/virtio_pci_modern_dev.ko", "drivers/virtio/virtio_pci.ko", "drivers/char/virtio_console.ko",
    ];

    public static string InitScript { get; } = $$"""
        #!/bin/sh
        PATH=/bin
        mount -t proc proc /proc
        mount -t sysfs sysfs /sys
        mount -t devtmpfs dev /dev
        for m in {{string.Join(' ', Modules.Select(Path.GetFileName))}}; do insmod "/modules/$m" || echo "@insmod-failed $m"; done
        port=
        for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
          for p in /sys/class/virtio-ports/*; do
            [ -r "$p/name" ] || continue
            read -r n < "$p/name"
            [ "$n" = org.qemu.guest_agent.0 ] && port="/dev/${p##*/}"
          done
          [ -n "$port" ] && [ -e "$port" ] && break
          sleep 1
        done
        echo "{{AgentPortMarker}} $port"
        if [ -z "$port" ]; then
          while :; do sleep 60; done
        fi
        /bin/qemu-ga -m virtio-serial -p "$port" -t /tmp -f /tmp/qemu-ga.pid
        echo "@agent-exited $?"
        poweroff -f
        """.Replace("\r\n", "\n") + "\n";

    private static readonly Lazy<byte[]> Built = new(Build);

    /// <summary>The gzip'd initramfs (built once per test run).</summary>
    public static byte[] Initramfs => Built.Value;

    private static byte[] Build()
    {
        var archive = VfioKit.Probe.Initramfs.Empty
            .WithDirectory("proc").WithDirectory("sys").WithDirectory("dev").WithDirectory("tmp")
            .WithFile("bin/busybox", File.ReadAllBytes(ProbeLab.Tools.Busybox), 0x1ed);
        foreach (var applet in Applets) archive = archive.WithSymlink("bin/" + applet, "busybox");
        const string qemuGa = "/usr/sbin/qemu-ga";
        if (!File.Exists(qemuGa)) throw new InvalidOperationException("qemu-ga not found: run scripts/install-deps.sh (Debian package qemu-guest-agent)");
        archive = archive.WithFile("bin/qemu-ga", File.ReadAllBytes(qemuGa), 0x1ed);
        foreach (var library in SharedLibraries(qemuGa))
            archive = archive.WithFile(library.TrimStart('/'), File.ReadAllBytes(library), 0x1ed);
        var modules = ModulesDirectory();
        foreach (var module in Modules)
            archive = archive.WithFile("modules/" + Path.GetFileName(module), File.ReadAllBytes(Path.Combine(modules, "kernel", module)));
        return archive.WithFile("init", InitScript, 0x1ed).ToArray();
    }

    /// <summary>The absolute paths ldd prints for <paramref name="program"/>: "name => /path (addr)" and the loader "/path (addr)".</summary>
    public static IReadOnlyList<string> SharedLibraries(string program)
    {
        var psi = new ProcessStartInfo("ldd") { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(program);
        using var ldd = Process.Start(psi)!;
        var output = ldd.StandardOutput.ReadToEnd();
        ldd.WaitForExit();
        if (ldd.ExitCode != 0) throw new InvalidOperationException($"ldd {program} exited {ldd.ExitCode}");
        return [.. output.Split('\n')
            .Select(l => l.Contains("=>", StringComparison.Ordinal) ? l[(l.IndexOf("=>", StringComparison.Ordinal) + 2)..] : l)
            .Select(l => l.Trim().Split(' ')[0])
            .Where(p => p.StartsWith('/'))
            .Distinct(StringComparer.Ordinal)];
    }

    /// <summary>lib/modules/RELEASE of the lab kernel (.cache/lab/kernel, unpacked from Debian's linux-image package).</summary>
    private static string ModulesDirectory()
    {
        var bzImage = new FileInfo(ProbeLab.Tools.Kernel);
        var target = bzImage.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? bzImage.FullName;
        var name = Path.GetFileName(target);
        if (!name.StartsWith("vmlinuz-", StringComparison.Ordinal))
            throw new InvalidOperationException($"the lab kernel {target} is not named vmlinuz-RELEASE: its modules cannot be found");
        var modules = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(target)!, "..", "lib", "modules", name["vmlinuz-".Length..]));
        if (!Directory.Exists(modules))
            throw new InvalidOperationException($"the lab kernel's modules are not in {modules}: run scripts/install-deps.sh (it unpacks Debian's linux-image package)");
        return modules;
    }
}
