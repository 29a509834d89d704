using System.Diagnostics;

namespace VfioKit.Tests.Report;

/// <summary>Debian's chromium, headless, run by a test on a local file: its console messages (stderr) and a screenshot or the DOM.</summary>
public static class HeadlessChromium
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>What the page wrote to its console (errors, refused requests): chromium logs each as "...:CONSOLE..." at --v=0.</summary>
        public IReadOnlyList<string> ConsoleLines => Stderr.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal)).ToList();
    }

    /// <param name="action">"--screenshot=PATH" or "--dump-dom".</param>
    public static Result Run(string file, string action, int width = 1200, int height = 1600)
    {
        using var profile = new TempDirectory("vk-chromium-");
        var start = new ProcessStartInfo("chromium") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                     "--enable-logging=stderr", "--v=0", $"--user-data-dir={profile.Path}", $"--window-size={width},{height}",
                     action, new Uri(Path.GetFullPath(file)).AbsoluteUri,
                 })
            start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish with {file}");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
