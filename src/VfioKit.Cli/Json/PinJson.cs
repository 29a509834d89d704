using VfioKit.Runtime;

namespace VfioKit.Cli.Json;

/// <summary>`vfiokit pin --json` (docs/json/pin.md).</summary>
public sealed record PinJson(
    int Pid,
    string Source,
    bool DryRun,
    IReadOnlyList<PinThreadJson> Threads,
    IReadOnlyList<string> Differences,
    PinMemoryJson? Memory,
    IReadOnlyList<string> Notes)
{
    public static PinThreadJson Thread(PinAction a, bool applied) => new(
        a.Thread.ThreadId, a.Thread.Name, a.Thread.Role switch { ThreadRole.Vcpu => "vcpu", ThreadRole.IoThread => "iothread", _ => "emulator" },
        a.Thread.Vcpu, a.Thread.IoThread, a.Before.ToString(), a.After.ToString(),
        applied ? a.Actual?.ToString() : null, applied ? a.Matches : null);
}

/// <param name="Actual">Cpus_allowed_list read back after pinning (null in a dry run or when the thread exited).</param>
public sealed record PinThreadJson(int Tid, string Name, string Role, int? Vcpu, string? Iothread, string Before, string After, string? Actual, bool? Matches);

public sealed record PinMemoryJson(IReadOnlyList<int> PlannedNodes, IReadOnlyList<NodeBytesJson> Nodes, long OffNodeBytes);

public sealed record NodeBytesJson(int Node, long Bytes);
