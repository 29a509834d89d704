namespace VfioKit.Run;

/// <summary>
/// QEMU started in a systemd scope of its own under machine.slice (which the isolation does not narrow), as an
/// argument array: systemd-run registers the scope for its own pid and then execs QEMU in place, so the pid vfiokit
/// journals, its start time, the QMP socket and pinning are QEMU's. --collect: the scope is dropped even when QEMU
/// fails, so the next run can use the name again.
/// </summary>
public static class QemuScope
{
    public const string Slice = "machine.slice";

    public static IReadOnlyList<string> Wrap(string name, IReadOnlyList<string> argv) =>
        ["systemd-run", "--scope", $"--slice={Slice}", $"--unit={CgroupLayout.ScopeUnit(name)}", "--collect", "--quiet", "--", .. argv];
}
