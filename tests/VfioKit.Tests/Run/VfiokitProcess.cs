using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit;

namespace VfioKit.Tests.Run;

/// <summary>The real vfiokit CLI as a separate process (`dotnet vfiokit.dll ...`), so it can be signalled and
/// SIGKILLed like a user's. Its output lines are collected as they come (stderr ones prefixed "stderr: ").</summary>
public sealed class VfiokitProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly CountdownEvent _closed = new(2);

    private VfiokitProcess(Process process) => _process = process;

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public IReadOnlyList<string> Lines => [.. _lines];
    public string Output => string.Join('\n', _lines);

    public static VfiokitProcess Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <summary>With <paramref name="environment"/> added to this process's.</summary>
    public static VfiokitProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var dotnet = Environment.ProcessPath!;
        Assert.EndsWith("dotnet", dotnet);
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vfiokit.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        var p = new VfiokitProcess(Process.Start(start)!);
        // A null line is the end of that stream.
        p._process.OutputDataReceived += (_, e) => { if (e.Data is not null) p._lines.Enqueue(e.Data); else p._closed.Signal(); };
        p._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) p._lines.Enqueue("stderr: " + e.Data); else p._closed.Signal(); };
        p._process.BeginOutputReadLine();
        p._process.BeginErrorReadLine();
        return p;
    }

    /// <summary>The first output line that <paramref name="match"/>es; fails with the output so far when the
    /// process exits first or the time runs out.</summary>
    public string WaitFor(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_lines.FirstOrDefault(match) is { } line) return line;
            Assert.True(DateTime.UtcNow < deadline, $"not seen within {timeout}; output:\n{Output}");
            if (_process.HasExited)
            {
                // Its last lines may still be on their way through the pipe.
                _closed.Wait(TimeSpan.FromSeconds(3));
                if (_lines.FirstOrDefault(match) is { } late) return late;
                Assert.Fail($"vfiokit exited ({_process.ExitCode}) first; output:\n{Output}");
            }
            Thread.Sleep(50);
        }
    }

    /// <summary>Waits for the process itself to end, then for its output to be read to the end; a QEMU it started
    /// holds the pipes open, so that second wait is bounded rather than endless.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_process.HasExited)
        {
            Assert.True(DateTime.UtcNow < deadline, $"vfiokit still runs after {timeout}; output:\n{Output}");
            Thread.Sleep(50);
        }
        _closed.Wait(TimeSpan.FromSeconds(3));
        return _process.ExitCode;
    }

    public void Signal(string signal) => Run("kill", $"-{signal}", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static void Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{tool} {string.Join(' ', args)}: {error}");
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        // _closed is left to the collector: a reader thread may still signal it after this.
        _process.Dispose();
    }
}
