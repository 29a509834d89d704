using VfioKit.Tests.Fixing;

namespace VfioKit.Tests.Launcher;

/// <summary>The repository's own NativeAOT binary, built as the README's command builds it (`./vfiokit version`:
/// a publish of about a minute on a fresh clone, nothing when .cache/aot is current), once per test run.</summary>
public static class NativeBinary
{
    private static readonly Lazy<string> Built = new(Build);

    public static string Path => Built.Value;

    private static string Build()
    {
        var (code, output) = ToolRun.Of(System.IO.Path.Combine(TestPaths.RepoRoot, "vfiokit"), "version");
        if (code != 0) throw new InvalidOperationException($"./vfiokit version exited {code}:\n{output}");
        return System.IO.Path.Combine(TestPaths.RepoRoot, ".cache", "aot", "vfiokit");
    }
}
