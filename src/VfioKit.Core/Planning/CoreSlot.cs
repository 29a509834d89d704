using VfioKit.Host.Cpu;

namespace VfioKit.Planning;

/// <summary>Host CPUs for one guest core: both threads of one host core for a guest SMT pair, or one thread of a
/// whole core for a guest without SMT. Two single-thread cores make a slot only when nothing better is left.</summary>
internal sealed record CoreSlot(CpuList Cpus, int? L3, int? Node, CoreType Type, bool Isolated);
