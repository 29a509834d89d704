using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace VfioKit.Tests.Lab;

/// <summary>
/// A second sshd of the tests' own on 127.0.0.1 and a free port, so libvirt's qemu+ssh:// transport is tested for
/// real: its own sshd_config, host key, client key and authorized_keys in a temporary directory, nothing of the
/// machine's sshd touched. libvirt runs `ssh -i KEYFILE -o StrictHostKeyChecking=no` (keyfile=, no_verify=1) and, on
/// the far side, virt-ssh-helper (Debian 12's libvirt-daemon; nc as the fallback) to reach the libvirtd socket.
/// That ssh adds the throwaway host key to the user's known_hosts (the ssh transport has no known_hosts= of its
/// own), so the file is put back as it was when the fixture is disposed.
/// A missing piece of the machine's setup (the sshd binary, its privilege separation directory and user) fails
/// with the hint to run scripts/install-deps.sh; only when sshd is there and still cannot start is
/// <see cref="Unavailable"/> set, for the tests to skip with sshd's own words.
/// </summary>
public sealed class LoopbackSshd : IDisposable
{
    private const string Setup = "run scripts/install-deps.sh (Debian package openssh-server)";
    private readonly TempDirectory _dir = new("vfiokit-sshd-");
    private readonly Process? _sshd;
    private readonly string _knownHosts;
    private readonly byte[]? _knownHostsBefore;
    private readonly bool _sshDirExisted;

    public LoopbackSshd()
    {
        foreach (var tool in new[] { "/usr/sbin/sshd", "/usr/bin/ssh", "/usr/bin/ssh-keygen" })
            if (!File.Exists(tool)) throw new InvalidOperationException($"{tool} not found: {Setup}");
        if (!Directory.Exists("/run/sshd")) throw new InvalidOperationException($"sshd's privilege separation directory /run/sshd is missing: {Setup}");

        var sshDir = Path.Combine(Home(), ".ssh");
        _knownHosts = Path.Combine(sshDir, "known_hosts");
        _sshDirExisted = Directory.Exists(sshDir);
        _knownHostsBefore = File.Exists(_knownHosts) ? File.ReadAllBytes(_knownHosts) : null;

        KeyFile = _dir.File("client_key");
        Must("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "vfiokit-tests-host", "-f", _dir.File("host_key"));
        Must("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "vfiokit-tests-client", "-f", KeyFile);
        File.Copy(KeyFile + ".pub", _dir.File("authorized_keys"));

        // A free port can be taken between asking and binding: try a few.
        var log = "";
        for (var attempt = 0; attempt < 3 && _sshd is null; attempt++)
        {
            Port = FreePort();
            var config = _dir.File("sshd_config");
            File.WriteAllLines(config,
            [
                $"Port {Port}",
                "ListenAddress 127.0.0.1",
                $"HostKey {_dir.File("host_key")}",
                $"PidFile {_dir.File("sshd.pid")}",
                $"AuthorizedKeysFile {_dir.File("authorized_keys")}",
                "PermitRootLogin prohibit-password",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                // The keys live under /tmp (world-writable): StrictModes would refuse them.
                "StrictModes no",
            ]);
            var check = LibvirtdFixture.Run("/usr/sbin/sshd", "-t", "-f", config);
            if (check.Exit != 0) throw new InvalidOperationException($"sshd -t refuses the tests' sshd_config: {check.Err}");
            (_sshd, log) = Start(config, Port);
        }
        if (_sshd is null) Unavailable = $"sshd cannot start here: {log.Trim()}";
    }

    public int Port { get; private set; }

    /// <summary>The client's private key (its public half is the only authorized key).</summary>
    public string KeyFile { get; }

    /// <summary>Why sshd did not start, when it truly cannot; null when it runs.</summary>
    public string? Unavailable { get; }

    /// <summary>The libvirt URI of <paramref name="path"/> (system) on this machine's libvirtd, reached over this sshd.</summary>
    public string Uri(string path = "system") =>
        $"qemu+ssh://{Environment.UserName}@localhost:{Port}/{path}?keyfile={KeyFile}&no_verify=1";

    public void Dispose()
    {
        if (_sshd is not null)
        {
            // sshd and the session processes it forked: all started by this fixture.
            try { _sshd.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            _sshd.WaitForExit(10_000);
            _sshd.Dispose();
        }
        if (_knownHostsBefore is not null) File.WriteAllBytes(_knownHosts, _knownHostsBefore);
        else if (File.Exists(_knownHosts)) File.Delete(_knownHosts);
        var sshDir = Path.GetDirectoryName(_knownHosts)!;
        if (!_sshDirExisted && Directory.Exists(sshDir) && !Directory.EnumerateFileSystemEntries(sshDir).Any()) Directory.Delete(sshDir);
        _dir.Dispose();
    }

    /// <summary>sshd in the foreground (-D, its log on stderr: -e), ready when its port accepts a connection.</summary>
    private static (Process? Sshd, string Log) Start(string config, int port)
    {
        var psi = new ProcessStartInfo("/usr/sbin/sshd") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-D", "-e", "-f", config }) psi.ArgumentList.Add(a);
        var sshd = Process.Start(psi)!;
        var log = new System.Text.StringBuilder();
        sshd.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        sshd.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        sshd.BeginErrorReadLine();
        sshd.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (sshd.HasExited)
            {
                sshd.WaitForExit();
                lock (log) return (null, $"exit {sshd.ExitCode}: {log}");
            }
            if (Accepts(port)) return (sshd, "");
            Thread.Sleep(100);
        }
        sshd.Kill(entireProcessTree: true);
        lock (log) return (null, $"not listening on 127.0.0.1:{port} after 20 s: {log}");
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException) { return false; }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The home directory ssh uses (the passwd entry's, not $HOME).</summary>
    private static string Home()
    {
        var uid = LibvirtdFixture.Run("id", "-u").Out.Trim();
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var f = line.Split(':');
            if (f.Length >= 6 && f[2] == uid) return f[5];
        }
        return Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
    }

    private static void Must(string file, params string[] args)
    {
        var (exit, _, err) = LibvirtdFixture.Run(file, args);
        if (exit != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({exit}): {err}");
    }
}
