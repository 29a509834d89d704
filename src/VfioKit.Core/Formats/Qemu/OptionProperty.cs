namespace VfioKit.Formats.Qemu;

/// <summary>One key=value of an option argument such as -device or -machine, after ",," unescaping.</summary>
public readonly record struct OptionProperty(string Key, string Value)
{
    public override string ToString() => $"{Key}={Value}";
}
