namespace VfioKit.Tests.Lab;

/// <summary>
/// Whether this machine's libvirtd accepts &lt;domain type='kvm'&gt;, as libvirt itself says
/// (`virsh domcapabilities --virttype kvm`); asked once per test run by <see cref="LibvirtdFixture"/>.
/// A cloud VM without nested virtualization or a CI container has no usable /dev/kvm: there libvirt refuses
/// type='kvm' ("Emulator ... does not support virt type 'kvm'") and the tests check a type='qemu' copy instead.
/// </summary>
public sealed record KvmSupport(bool Available, string Reason)
{
    public static KvmSupport Ask(Func<string[], (int Exit, string Out, string Err)> virsh)
    {
        var (exit, stdout, stderr) = virsh(["domcapabilities", "--virttype", "kvm"]);
        if (exit == 0 && stdout.Contains("<domain>kvm</domain>", StringComparison.Ordinal))
            return new(true, "libvirt supports virt type 'kvm' here (virsh domcapabilities --virttype kvm)");
        var why = string.Join(' ', (stderr + stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.Length > 0 && !l.StartsWith("error: failed to get", StringComparison.Ordinal)).Take(2));
        var kvmNode = File.Exists("/dev/kvm") ? "/dev/kvm exists" : "no /dev/kvm";
        return new(false, $"no KVM on this machine ({kvmNode}; virsh domcapabilities --virttype kvm: {(why.Length > 0 ? why : "exit " + exit)})");
    }
}
