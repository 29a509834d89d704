namespace VfioKit.Fixing;

/// <summary>
/// One format's repairer: turns the repair intents it carries into text edits over the original file
/// (so only what a fix names changes), or says null when this file cannot express one (a device it
/// cannot find, every chassis taken). Each declares the intent types it carries (its static `Kinds`, one
/// <see cref="RepairTable{TRepairer}"/> with its dispatch): what `rules` reports as fixable per format.
/// </summary>
public interface IRepairer
{
    Fix? Repair(RepairIntent intent);
}
