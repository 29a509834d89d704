using System.Diagnostics;

namespace VfioKit.Tests.Fixing;

/// <summary>Runs a real tool (virt-xml-validate, patch) with an argument list; a missing tool fails the test.</summary>
public static class ToolRun
{
    public static (int ExitCode, string Output) Of(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync();
            var error = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            return (p.ExitCode, output.Result + error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is not installed (scripts/install-deps.sh installs it): {e.Message}", e);
        }
    }
}
