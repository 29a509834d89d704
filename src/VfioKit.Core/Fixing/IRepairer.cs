namespace VfioKit.Fixing;

/// <summary>
/// One format's repairer: turns the repair intents it carries into text edits over the original file
/// (so only what a fix names changes), or says null when this file cannot express one (a device it
/// cannot find, every chassis taken). <see cref="Carries"/> is what `rules` reports as fixable per format.
/// </summary>
public interface IRepairer
{
    /// <summary>The intent types this format's repairer carries out.</summary>
    IReadOnlySet<Type> Carries { get; }

    Fix? Repair(RepairIntent intent);
}
