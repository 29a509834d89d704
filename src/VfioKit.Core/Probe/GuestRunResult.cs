namespace VfioKit.Probe;

/// <summary>
/// What a probe guest did: how it ended, QEMU's exit code and own messages (stderr, verbatim), the
/// guest's serial console, the command line that was run and how long it took.
/// </summary>
public sealed record GuestRunResult(
    GuestRunOutcome Outcome,
    int? ExitCode,
    string Console,
    string QemuErrors,
    TimeSpan Elapsed,
    IReadOnlyList<string> CommandLine)
{
    public bool Completed => Outcome == GuestRunOutcome.Completed;

    /// <summary>
    /// The option QEMU names in its error ("-device vfio-pci,bus=x: Bus 'x' not found" names
    /// "-device vfio-pci,bus=x"), or null. QEMU prefixes the message with the program name and the option.
    /// </summary>
    public string? OffendingOption
    {
        get
        {
            foreach (var line in QemuErrors.Split('\n'))
            {
                var rest = line.StartsWith(ToolSearch.Qemu + ": ", StringComparison.Ordinal) ? line[(ToolSearch.Qemu.Length + 2)..] : null;
                if (rest is null || !rest.StartsWith('-')) continue;
                var end = rest.IndexOf(": ", StringComparison.Ordinal);
                if (end > 0) return rest[..end];
            }
            return null;
        }
    }

    /// <summary>One paragraph for people: why the run did not complete, with QEMU's own words.</summary>
    public string Explain() => Outcome switch
    {
        GuestRunOutcome.Completed => "the guest reported and powered off",
        GuestRunOutcome.Refused => $"QEMU refused the machine (exit code {ExitCode})" +
                                   (OffendingOption is { } o ? $"; the offending option is {o}" : "") +
                                   $":\n{QemuErrors.TrimEnd()}",
        GuestRunOutcome.Ended => $"QEMU ended (exit code {ExitCode}) before the guest finished its report" +
                                 (QemuErrors.Length > 0 ? $":\n{QemuErrors.TrimEnd()}" : "") +
                                 $"\nlast console output:\n{Tail(Console, 15)}",
        GuestRunOutcome.TimedOut => $"the guest did not finish within {Elapsed.TotalSeconds:0.#} s; QEMU was stopped. " +
                                    $"Console so far:\n{Tail(Console, 15)}",
        _ => Outcome.ToString(),
    };

    private static string Tail(string text, int lines)
    {
        var all = text.TrimEnd().Split('\n');
        return all.Length == 1 && all[0].Length == 0 ? "(nothing)" : string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}
