namespace VfioKit.Cli.Install;

/// <summary>
/// What `vfiokit install` puts where: the native binary as PREFIX/bin/vfiokit and the bash completion as
/// PREFIX/share/bash-completion/completions/vfiokit (where bash-completion looks for /usr/local and, via
/// XDG_DATA_HOME, for ~/.local). Each file is written beside its target and renamed over it, so an
/// interrupted install leaves the old file, never half a binary.
/// </summary>
public sealed record Installation(string Source, string Prefix, string CompletionText)
{
    public string BinaryPath => Path.Combine(Prefix, "bin", "vfiokit");
    public string CompletionPath => Path.Combine(Prefix, "share", "bash-completion", "completions", "vfiokit");

    /// <summary>/usr/local for root, ~/.local otherwise: a user's install needs no sudo and is on PATH on Debian.</summary>
    public static string DefaultPrefix(bool root, string home) => root ? "/usr/local" : Path.Combine(home, ".local");

    /// <summary>The steps, one line each, as --dry-run prints them and as <see cref="Apply"/> does them.</summary>
    public IReadOnlyList<string> Steps =>
    [
        $"copy {Source} to {BinaryPath} (mode 0755)",
        $"write the bash completion to {CompletionPath}",
    ];

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Apply()
    {
        Replace(BinaryPath, temp => File.Copy(Source, temp, overwrite: true),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        Replace(CompletionPath, temp => File.WriteAllText(temp, CompletionText),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Replace(string target, Action<string> write, UnixFileMode mode)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = $"{target}.vfiokit-{Environment.ProcessId}";
        try
        {
            write(temp);
            File.SetUnixFileMode(temp, mode);
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
