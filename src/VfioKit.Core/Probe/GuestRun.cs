using System.Diagnostics;
using System.Text;
using VfioKit.Processes;

namespace VfioKit.Probe;

/// <summary>
/// Boots a probe guest under QEMU and collects what it prints on its serial console. QEMU is started
/// with an argument list (never a shell), its stderr is kept verbatim, and a guest that does not finish
/// in time is stopped with what it printed so far.
/// </summary>
public static class GuestRun
{
    /// <summary>After the end marker, QEMU gets this long to power off before it is stopped anyway.</summary>
    private static readonly TimeSpan PowerOffGrace = TimeSpan.FromSeconds(3);

    /// <summary>The full QEMU argument list for <paramref name="launch"/> with the initramfs at <paramref name="initrd"/>.</summary>
    public static IReadOnlyList<string> CommandLine(GuestLaunch launch, string initrd) =>
    [
        .. launch.MachineArguments,
        "-accel", launch.Accelerator.Name,
        "-display", "none",
        "-monitor", "none",
        "-serial", "stdio",
        "-no-reboot",
        "-kernel", launch.Kernel.Path,
        "-initrd", initrd,
        "-append", launch.KernelCommandLine,
    ];

    /// <summary>Completes when the guest has printed nothing within <see cref="GuestLaunch.SilenceLimit"/>; never otherwise.</summary>
    private static async Task Silence(GuestLaunch launch, StringBuilder console, CancellationToken cancellation)
    {
        if (launch.SilenceLimit is { } limit && limit < launch.Timeout)
        {
            await Task.Delay(limit, cancellation).ConfigureAwait(false);
            bool silent;
            lock (console) silent = console.Length == 0;
            if (silent) return;
        }
        await Task.Delay(Timeout.Infinite, cancellation).ConfigureAwait(false);
    }

    public static async Task<GuestRunResult> RunAsync(GuestLaunch launch, Initramfs initramfs,
        IProgress<GuestProgress>? progress = null, CancellationToken cancellation = default)
    {
        var initrd = Path.Combine(Path.GetTempPath(), $"vfiokit-probe-{Environment.ProcessId}-{Guid.NewGuid():n}.cpio.gz");
        await File.WriteAllBytesAsync(initrd, initramfs.ToArray(), cancellation).ConfigureAwait(false);
        try
        {
            return await RunAsync(launch, CommandLine(launch, initrd), progress, cancellation).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(initrd);
        }
    }

    private static async Task<GuestRunResult> RunAsync(GuestLaunch launch, IReadOnlyList<string> arguments,
        IProgress<GuestProgress>? progress, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var stage = GuestStage.Starting;
        var functions = 0;
        void Report(GuestStage s)
        {
            stage = s;
            progress?.Report(new GuestProgress(stage, clock.Elapsed, functions));
        }
        Report(GuestStage.Starting);

        Process process;
        try { process = ExternalProgram.Start(launch.Qemu, arguments, redirect: true, outputEncoding: Encoding.Latin1); }
        catch (ProgramNotStartedException e)
        {
            throw new MissingToolException(ToolSearch.Qemu, e.Message, "Install it: apt-get install qemu-system-x86", e);
        }

        using (process)
        {
            process.StandardInput.Close();
            Report(GuestStage.Firmware);
            var console = new StringBuilder();
            var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var errors = process.StandardError.ReadToEndAsync(cancellation);
            var reader = Task.Run(async () =>
            {
                while (await process.StandardOutput.ReadLineAsync(cancellation).ConfigureAwait(false) is { } raw)
                {
                    var line = raw.TrimEnd('\r');
                    lock (console) console.Append(line).Append('\n');
                    if (line.StartsWith(GuestProgram.EndMarker, StringComparison.Ordinal))
                    {
                        Report(GuestStage.PoweringOff);
                        ended.TrySetResult();
                    }
                    else if (line.StartsWith("@dev ", StringComparison.Ordinal))
                    {
                        functions++;
                        Report(GuestStage.Reading);
                    }
                    else if (line.StartsWith(GuestProgram.BeginMarker, StringComparison.Ordinal)) Report(GuestStage.Reading);
                    else if (stage == GuestStage.Firmware && line.Length > 0) Report(GuestStage.Kernel);
                }
            }, cancellation);

            var exited = process.WaitForExitAsync(cancellation);
            var deadline = Task.Delay(launch.Timeout, cancellation);
            var first = await Task.WhenAny(exited, ended.Task, deadline, Silence(launch, console, cancellation)).ConfigureAwait(false);
            if (first != exited && first != ended.Task) first = deadline;
            if (first == ended.Task)
                first = await Task.WhenAny(exited, Task.Delay(PowerOffGrace, cancellation)).ConfigureAwait(false);

            var timedOut = !process.HasExited;
            if (timedOut) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            try { await reader.ConfigureAwait(false); } catch (OperationCanceledException) { }
            var stderr = await errors.ConfigureAwait(false);
            clock.Stop();

            string text;
            lock (console) text = console.ToString();
            var complete = text.Contains(GuestProgram.EndMarker, StringComparison.Ordinal);
            var outcome = complete ? GuestRunOutcome.Completed
                : timedOut && first == deadline ? GuestRunOutcome.TimedOut
                : text.Trim().Length == 0 && process.ExitCode != 0 ? GuestRunOutcome.Refused
                : GuestRunOutcome.Ended;
            return new GuestRunResult(outcome, timedOut ? null : process.ExitCode, text, stderr, clock.Elapsed, [launch.Qemu, .. arguments]);
        }
    }
}
