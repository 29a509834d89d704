namespace VfioKit.Formats.Qemu;

/// <summary>An option of the QEMU command (-device, -machine, ...) and its value word, when it takes one.</summary>
public sealed record QemuArgument(ShellWord Option, ShellWord? Value)
{
    // The name is cut out of the word once, when the option is set (here and in `with`): every reader and repairer looks options up
    // by name (script.All), and on a 4 MiB script a name cut out on each look-up was most of the tuning reader's time.
    public ShellWord Option
    {
        get;
        init
        {
            field = value;
            Name = QemuOptionTable.Name(value.Text) ?? value.Text;
        }
    } = Option;

    /// <summary>The option's name without dashes: "device", "machine", "M", "cpu".</summary>
    public string Name { get; private init; } = QemuOptionTable.Name(Option.Text) ?? Option.Text;

    public bool Is(params string[] names) => Array.IndexOf(names, Name) >= 0;
}
