using System.Diagnostics;

namespace VfioKit.Tests.Probe;

/// <summary>Runs a real program (cpio, gzip, lspci) with an argument list, as the oracle of a test.</summary>
public sealed record ExternalTool(int ExitCode, byte[] Out, string Error)
{
    public static ExternalTool Run(string program, IEnumerable<string> arguments, byte[]? input = null, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{program} is needed by this test and is not installed (run scripts/install-deps.sh): {e.Message}", e);
        }
        using (process)
        {
            var writer = Task.Run(() =>
            {
                if (input is not null) process.StandardInput.BaseStream.Write(input);
                process.StandardInput.Close();
            });
            var error = process.StandardError.ReadToEndAsync();
            using var output = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(output);
            writer.Wait();
            process.WaitForExit();
            return new ExternalTool(process.ExitCode, output.ToArray(), error.Result);
        }
    }

    public string Text => System.Text.Encoding.UTF8.GetString(Out);
}
