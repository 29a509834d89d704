namespace VfioKit.Fixing.Qemu;

/// <summary>An option of the QEMU command (-device, -machine, ...) and its value word, when it takes one.</summary>
public sealed record QemuArgument(ScriptWord Option, ScriptWord? Value)
{
    /// <summary>The option's name without dashes: "device", "machine", "M", "cpu".</summary>
    public string Name => Option.Value.TrimStart('-');

    public bool Is(params string[] names) => names.Contains(Name);
}
