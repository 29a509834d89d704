using System.Diagnostics;
using System.Text.RegularExpressions;

namespace VfioKit.Tests.Formats.Qemu;

/// <summary>
/// The real oracle for placement: starts qemu-system-x86_64 stopped (-S, no guest runs) and reads its
/// monitor's `info qtree`, or the error it refuses to start with. About a third of a second per run.
/// </summary>
public sealed partial record QemuTree(IReadOnlyList<string> Devices, string? Error)
{
    /// <summary>"driver id bus slot.fn" of every PCI device QEMU created, sorted.</summary>
    public static QemuTree Run(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("qemu-system-x86_64")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "-accel", "tcg", "-S", "-display", "none", "-monitor", "stdio", "-serial", "none", "-parallel", "none" })
            psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("qemu-system-x86_64 is missing: run scripts/install-deps.sh (apt-get install qemu-system-x86)", e);
        }
        using (p)
        {
            var stderr = p.StandardError.ReadToEndAsync();
            p.StandardInput.Write("info qtree\nquit\n");
            p.StandardInput.Close();
            var stdout = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(60_000)) { p.Kill(true); throw new TimeoutException("qemu-system-x86_64 did not quit"); }
            var err = stderr.Result;
            if (p.ExitCode != 0)
                return new QemuTree([], err.Split('\n').FirstOrDefault(l => l.StartsWith("qemu-system-x86_64:", StringComparison.Ordinal) && !l.Contains("warning")) ?? err);
            return new QemuTree(Parse(stdout), null);
        }
    }

    private static List<string> Parse(string qtree)
    {
        var result = new List<string>();
        var buses = new Stack<(int Indent, string Name)>();
        string? dev = null, id = null;
        var devIndent = 0;
        foreach (var raw in qtree.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var indent = line.Length - line.TrimStart().Length;
            var text = line.Trim();
            if (text.StartsWith("bus: ", StringComparison.Ordinal))
            {
                while (buses.Count > 0 && buses.Peek().Indent >= indent) buses.Pop();
                buses.Push((indent, text[5..]));
                continue;
            }
            var m = DevLine().Match(text);
            if (m.Success) { dev = m.Groups[1].Value; id = m.Groups[2].Value; devIndent = indent; continue; }
            var a = AddrLine().Match(text);
            if (a.Success && dev is not null && indent > devIndent)
            {
                while (buses.Count > 0 && buses.Peek().Indent >= devIndent) buses.Pop();
                var bus = buses.Count > 0 ? buses.Peek().Name : "?";
                var slot = Convert.ToInt32(a.Groups[1].Value, 16);
                result.Add($"{dev} {(string.IsNullOrEmpty(id) ? "-" : id)} {bus} {slot:x}.{a.Groups[2].Value}");
                dev = null;
            }
        }
        result.Sort(StringComparer.Ordinal);
        return result;
    }

    [GeneratedRegex("^dev: ([^,]+), id \"(.*)\"$")]
    private static partial Regex DevLine();

    [GeneratedRegex("^addr = ([0-9a-f]{2})\\.([0-7])$")]
    private static partial Regex AddrLine();
}
