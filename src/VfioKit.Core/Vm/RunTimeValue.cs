namespace VfioKit.Vm;

/// <summary>
/// A part of a launch script vfiokit cannot know because the shell fills it in only when the script runs
/// ("$@", $1, $(cmd), a variable the script never sets), in a place where it would hold options: the rest
/// of the command line is read around it, and the findings say what was missing.
/// </summary>
/// <param name="Written">The word as written (`"$@"`, `$EXTRA_OPTS`).</param>
/// <param name="Why">What it is: "the script's arguments", "not set in the script", "a command's output".</param>
/// <param name="Line">Where it is written.</param>
public sealed record RunTimeValue(string Written, string Why, int Line)
{
    /// <summary>One line naming every value: what the findings of a script with run-time values say.</summary>
    public static string Summary(IReadOnlyList<RunTimeValue> values) =>
        "known only when the script runs, so not read: " +
        string.Join(", ", values.Select(v => $"{v.Written} (line {v.Line}: {v.Why})")) +
        "; the rest of the command line was read, and a fix that would have to change these is not made";

    public override string ToString() => $"{Written} (line {Line}: {Why})";
}
