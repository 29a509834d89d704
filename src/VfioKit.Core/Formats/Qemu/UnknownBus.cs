namespace VfioKit.Formats.Qemu;

/// <summary>A -device whose bus= names no bus of the command line: where it was, the device, the bus it named.</summary>
public readonly record struct UnknownBus(int Line, string Device, string Bus);
