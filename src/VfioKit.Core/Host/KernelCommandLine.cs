namespace VfioKit.Host;

/// <summary>The kernel's command line (/proc/cmdline) as words; "key=value" words looked up by key.</summary>
public sealed record KernelCommandLine(string Text)
{
    public IReadOnlyList<string> Words { get; } = Text.Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The value of the last "key=value" word (the kernel takes the last), "" for a bare "key", null when absent.</summary>
    public string? Value(string key)
    {
        string? value = null;
        foreach (var w in Words)
        {
            if (w == "--") break; // what follows goes to init, not the kernel
            if (w == key) value = "";
            else if (w.Length > key.Length && w.StartsWith(key, StringComparison.Ordinal) && w[key.Length] == '=') value = w[(key.Length + 1)..];
        }
        return value;
    }
}
