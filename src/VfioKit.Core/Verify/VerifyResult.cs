using VfioKit.Vm;

namespace VfioKit.Verify;

/// <summary>Every passed function's verdict.</summary>
/// <param name="Source">The kind of guest report read (<see cref="GuestSources"/>).</param>
/// <param name="Configured">True when a configuration said which functions are passed through.</param>
public sealed record VerifyResult(string Source, bool Configured, ValueList<FunctionVerdict> Functions)
{
    /// <summary>True when every passed function has its link (exit 0); false also when none was found.</summary>
    public bool AllLinked => Functions.Count > 0 && Functions.All(f => f.Verdict.HasLink);
}
