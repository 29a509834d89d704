namespace VfioKit.Fixing;

/// <summary>
/// A repairer's one list of the intents it carries and how: the declaration (<see cref="Kinds"/>) and the
/// dispatch are the same entries, so a repairer cannot claim an intent it does not implement.
/// </summary>
public sealed class RepairTable<TRepairer>
{
    private readonly Dictionary<Type, Func<TRepairer, RepairIntent, Fix?>> _entries = [];

    public IReadOnlySet<Type> Kinds => _entries.Keys.ToHashSet();

    public RepairTable<TRepairer> On<TIntent>(Func<TRepairer, TIntent, Fix?> repair) where TIntent : RepairIntent
    {
        _entries.Add(typeof(TIntent), (r, i) => repair(r, (TIntent)i));
        return this;
    }

    public Fix? Repair(TRepairer repairer, RepairIntent intent) =>
        _entries.TryGetValue(intent.GetType(), out var repair) ? repair(repairer, intent) : null;
}
