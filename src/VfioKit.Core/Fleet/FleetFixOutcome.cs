namespace VfioKit.Fleet;

/// <summary>What <see cref="FleetFix"/> did with one domain.</summary>
public enum FleetFixOutcome
{
    /// <summary>Nothing to fix; libvirt was not asked to define anything.</summary>
    Unchanged,
    /// <summary>Dry run: fixes would change the definition.</summary>
    WouldChange,
    /// <summary>The fixed XML is defined and read back right.</summary>
    Defined,
    /// <summary>Defining or the read-back failed; the old definition is restored.</summary>
    RolledBack,
    /// <summary>The domain could not be read, or the restore failed too (the error names the kept file).</summary>
    Failed,
}
