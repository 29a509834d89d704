namespace VfioKit.Vm;

/// <summary>An option QEMU refuses from release <paramref name="RemovedIn"/> on ("-soundhw: invalid option"),
/// with what to write instead and where it was read.</summary>
public sealed record RemovedOption(string Option, MachineVersion RemovedIn, string Instead, SourceLocation? Source = null);
