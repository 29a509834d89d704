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

    /// <summary>
    /// Why a run under KVM may have failed because of KVM, in one line, or null: QEMU refused or hung before the guest
    /// printed anything. A /dev/kvm that passes <see cref="KvmDevice"/>'s checks can still fail to run a guest: a
    /// nested host that hangs, a KVM QEMU cannot initialise, or one without a feature the machine asks for (PVM, the
    /// KVM of cloud VMs without nested virtualization, has no SMM: "System Management Mode not supported by this
    /// hypervisor" for smm=on). Which it was only TCG can tell: the caller boots the same machine again under TCG, and
    /// a machine at fault is refused there too, with QEMU's own words.
    /// </summary>
    public string? KvmFailure
    {
        get
        {
            if (Console.Length > 0 || Outcome is not (GuestRunOutcome.Refused or GuestRunOutcome.TimedOut)) return null;
            // QEMU's warnings ("host doesn't support requested feature") come before the error that stopped it.
            var lines = QemuErrors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.FirstOrDefault(l => !l.Contains(": warning: ", StringComparison.Ordinal)) ?? lines.FirstOrDefault() ?? Explain().Split('\n')[0];
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
