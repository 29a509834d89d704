using System.Diagnostics;

namespace VfioKit.Tests.Lab;

/// <summary>
/// A real libvirtd (9.0 on this machine) on the system socket, started once for the test run
/// (../shared/LAB.md section 3): the libvirt-qemu user and group, /dev/kvm usable by them (Debian's
/// udev rule: group kvm, mode 0660; without it libvirt 9.0 re-probes QEMU on every call because
/// "KVM was enabled when probing but is not available now"), then `libvirtd -d` unless one already
/// answers. Missing tools make every test of the collection fail with the install hint.
/// </summary>
public sealed class LibvirtdFixture
{
    public const string Uri = "qemu:///system";

    public LibvirtdFixture()
    {
        foreach (var tool in new[] { "libvirtd", "virsh", "virt-xml-validate", "xmllint" })
            if (Which(tool) is null)
                throw new InvalidOperationException($"{tool} not found: run scripts/install-deps.sh (Debian packages libvirt-daemon, libvirt-daemon-driver-qemu, libvirt-clients, libxml2-utils)");

        if (Run("getent", "group", "libvirt-qemu").Exit != 0) Must("groupadd", "-r", "libvirt-qemu");
        if (Run("id", "-u", "libvirt-qemu").Exit != 0) Must("useradd", "-r", "-g", "libvirt-qemu", "libvirt-qemu");
        if (File.Exists("/dev/kvm"))
        {
            if (Run("getent", "group", "kvm").Exit != 0) Must("groupadd", "-r", "kvm");
            Must("chgrp", "kvm", "/dev/kvm");
            Must("chmod", "0660", "/dev/kvm");
            if (!Run("id", "-nG", "libvirt-qemu").Out.Split(' ', '\n').Contains("kvm")) Must("usermod", "-aG", "kvm", "libvirt-qemu");
        }
        Directory.CreateDirectory("/var/log/libvirt");
        Directory.CreateDirectory("/var/run/libvirt");
        EnsureRunning();
    }

    /// <summary>Starts libvirtd when nothing answers on the socket (idempotent; also after a daemon crash).</summary>
    public void EnsureRunning()
    {
        if (Answers()) return;
        Must("libvirtd", "-d");
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (Answers()) return;
            Thread.Sleep(500);
        }
        throw new InvalidOperationException("libvirtd started but does not answer on /var/run/libvirt/libvirt-sock");
    }

    private static bool Answers() => File.Exists("/var/run/libvirt/libvirt-sock") && Run("virsh", "-c", Uri, "version").Exit == 0;

    /// <summary>`virsh domxml-to-native qemu-argv FILE`: libvirt's own QEMU command line for a domain XML.</summary>
    public (int Exit, string Out, string Err) ToNative(string xmlFile)
    {
        EnsureRunning();
        return Run("virsh", "-c", Uri, "domxml-to-native", "qemu-argv", xmlFile);
    }

    /// <summary>`virt-xml-validate FILE domain`: libvirt's RNG schema check.</summary>
    public static (int Exit, string Out, string Err) Validate(string xmlFile) => Run("virt-xml-validate", xmlFile, "domain");

    public static (int Exit, string Out, string Err) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(300)))
        {
            p.Kill(entireProcessTree: true);
            return (-1, stdout.Result, "timed out: " + stderr.Result);
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static void Must(string file, params string[] args)
    {
        var (exit, _, err) = Run(file, args);
        if (exit != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({exit}): {err}");
    }

    private static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Concat(["/usr/sbin", "/sbin"])
            .Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
}

[CollectionDefinition(Name)]
public sealed class LibvirtdCollection : ICollectionFixture<LibvirtdFixture>
{
    public const string Name = "libvirtd";
}
