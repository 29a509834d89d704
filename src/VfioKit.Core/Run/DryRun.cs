using VfioKit.Formats.Qemu;

namespace VfioKit.Run;

/// <summary>
/// What a run would do, line by line: each step with its exact writes, the QEMU argv (quoted for reading; it is
/// started from the array, never through a shell), and the writes that undo each step afterwards, in reverse.
/// Writes are indented by two spaces and read `write /path "value"`, so a test can set them beside a real run's.
/// </summary>
public static class DryRun
{
    public static IReadOnlyList<string> Lines(HostChangePlan plan, IReadOnlyList<string> argv)
    {
        // The plan's own cgroup for QEMU, if any: the write that puts QEMU in it comes once it runs (its pid is known only then).
        var attach = plan.Steps.OfType<QemuCgroup>().SingleOrDefault();
        var lines = new List<string>();
        if (plan.Cgroups is { } cgroups) lines.Add(cgroups.Describe());
        lines.AddRange(plan.Notes.Select(n => $"note: {n}"));
        if (plan.Steps.Count == 0) lines.Add("no host changes needed");
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            lines.Add($"{i + 1}. {plan.Steps[i].Describe()}");
            lines.AddRange(plan.Steps[i].Apply().Select(w => $"  {w}"));
        }
        if (argv.Count > 0) lines.Add("start: " + string.Join(' ', argv.Select(ShellQuoting.Quote)));
        if (argv.Count > 0 && attach is not null) lines.Add($"  write /{attach.ProcsPath} \"QEMU's pid\"");
        if (plan.Steps.Count > 0) lines.Add(argv.Count > 0 ? "when QEMU exits, undo in reverse:" : "on release, undo in reverse:");
        for (var i = plan.Steps.Count - 1; i >= 0; i--)
        {
            lines.Add($"undo {i + 1}. {plan.Steps[i].Describe()}");
            lines.AddRange(plan.Steps[i].UndoAfterApply().Select(w => $"  {w}"));
        }
        return lines;
    }
}
