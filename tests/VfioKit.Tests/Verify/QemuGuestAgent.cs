using System.Diagnostics;

namespace VfioKit.Tests.Verify;

/// <summary>
/// A real qemu-ga (Debian's qemu-guest-agent) started by the test on this machine as
/// <c>qemu-ga -m unix-listen -p SOCKET</c>: the same program and protocol as inside a guest, with this
/// machine standing in as the guest. Stopped (by its own process id) when disposed.
/// </summary>
internal sealed class QemuGuestAgent : IDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _dir = new("vfiokit-qga-");

    public string Socket => _dir.File("qga.sock");

    public QemuGuestAgent()
    {
        var start = new ProcessStartInfo("/usr/sbin/qemu-ga") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in new[] { "-m", "unix-listen", "-p", Socket, "-t", _dir.Path, "-f", _dir.File("qga.pid") }) start.ArgumentList.Add(a);
        _process = Process.Start(start) ?? throw new InvalidOperationException("qemu-ga did not start (apt-get install qemu-guest-agent)");
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        for (var i = 0; i < 100 && !File.Exists(Socket); i++) Thread.Sleep(50);
        if (!File.Exists(Socket)) throw new InvalidOperationException("qemu-ga did not create its socket");
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit(5000);
        _process.Dispose();
        _dir.Dispose();
    }
}
