namespace VfioKit.Formats.Qemu;

/// <summary>An option of the QEMU command (-device, -machine, ...) and its value word, when it takes one.</summary>
public sealed record QemuArgument(ShellWord Option, ShellWord? Value)
{
    /// <summary>The option's name without dashes: "device", "machine", "M", "cpu".</summary>
    public string Name => QemuOptionTable.Name(Option.Text) ?? Option.Text;

    public bool Is(params string[] names) => names.Contains(Name);
}
