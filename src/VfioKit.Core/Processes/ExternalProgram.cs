using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace VfioKit.Processes;

/// <summary>
/// The one way vfiokit runs another program: an argument array (never a shell string), a deadline after
/// which the program is killed, output captured up to a bound, and an error naming the program when it
/// cannot be started. Long-running programs (QEMU) are started here and watched by their caller.
/// </summary>
public static class ExternalProgram
{
    /// <summary>The most standard output kept by default: more is refused, not silently cut.</summary>
    public const int DefaultMaxOutputBytes = 16 << 20;

    /// <summary>Standard error kept for messages; the rest is read and dropped so the program never blocks on it.</summary>
    public const int MaxErrorBytes = 64 << 10;

    /// <summary>Starts <paramref name="program"/>; with <paramref name="redirect"/>, its stdin, stdout and stderr are the caller's to use.</summary>
    /// <exception cref="ProgramNotStartedException">The program is not installed or cannot be executed.</exception>
    public static Process Start(string program, IEnumerable<string> arguments, bool redirect = false, Encoding? outputEncoding = null)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = redirect,
            RedirectStandardOutput = redirect,
            RedirectStandardError = redirect,
            StandardOutputEncoding = redirect ? outputEncoding : null,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        try { return Process.Start(start) ?? throw new ProgramNotStartedException(program, "no process was created"); }
        catch (Win32Exception e) { throw new ProgramNotStartedException(program, e.Message, e); }
    }

    /// <summary>Runs a program to its end and returns its exit code and output.</summary>
    /// <exception cref="ProgramNotStartedException">The program is not installed or cannot be executed.</exception>
    /// <exception cref="ExternalProgramException">It ran past <paramref name="timeout"/> or printed more than <paramref name="maxOutputBytes"/> (it is killed).</exception>
    public static async Task<ProgramOutput> RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan timeout,
        ReadOnlyMemory<byte>? input = null, int maxOutputBytes = DefaultMaxOutputBytes, CancellationToken cancellation = default)
    {
        using var process = Start(program, arguments, redirect: true);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        try
        {
            var writer = Task.Run(() => WriteInput(process, input), CancellationToken.None);
            var output = ReadAsync(process.StandardOutput.BaseStream, maxOutputBytes, refuseMoreFrom: program, deadline.Token);
            var error = ReadAsync(process.StandardError.BaseStream, MaxErrorBytes, refuseMoreFrom: null, deadline.Token);
            await Task.WhenAll(output, error).ConfigureAwait(false);
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            await writer.ConfigureAwait(false);
            return new ProgramOutput(process.ExitCode, await output.ConfigureAwait(false), Encoding.UTF8.GetString(await error.ConfigureAwait(false)));
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            Kill(process);
            throw new ExternalProgramException(program, $"{program} did not finish within {timeout.TotalSeconds:0.#} s and was stopped");
        }
        catch (Exception)
        {
            Kill(process);
            throw;
        }
    }

    /// <summary><see cref="RunAsync"/> for callers that are not asynchronous.</summary>
    public static ProgramOutput Run(string program, IReadOnlyList<string> arguments, TimeSpan timeout,
        ReadOnlyMemory<byte>? input = null, int maxOutputBytes = DefaultMaxOutputBytes) =>
        RunAsync(program, arguments, timeout, input, maxOutputBytes).GetAwaiter().GetResult();

    private static void WriteInput(Process process, ReadOnlyMemory<byte>? input)
    {
        try
        {
            if (input is { } bytes) process.StandardInput.BaseStream.Write(bytes.Span);
        }
        catch (IOException) { /* the program stopped reading; its exit code says why */ }
        finally
        {
            try { process.StandardInput.Close(); } catch (IOException) { }
        }
    }

    /// <summary>Reads a stream to its end keeping at most <paramref name="limit"/> bytes; more is an error when <paramref name="refuseMoreFrom"/> names the program.</summary>
    private static async Task<byte[]> ReadAsync(Stream stream, int limit, string? refuseMoreFrom, CancellationToken cancellation)
    {
        using var kept = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(buffer, cancellation).ConfigureAwait(false)) > 0)
        {
            var room = limit - (int)kept.Length;
            if (n > room && refuseMoreFrom is not null)
                throw new ExternalProgramException(refuseMoreFrom, $"{refuseMoreFrom} printed more than {limit} bytes and was stopped");
            kept.Write(buffer, 0, Math.Min(n, Math.Max(room, 0)));
        }
        return kept.ToArray();
    }

    private static void Kill(Process process)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { /* it ended meanwhile */ }
    }
}
