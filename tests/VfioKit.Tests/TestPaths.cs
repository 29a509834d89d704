namespace VfioKit.Tests;

/// <summary>Where the test data and the lab's files are: found from the repository root, not the output folder,
/// so symlinks in sysfs snapshots stay symlinks.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>tests/VfioKit.Tests/Data in the source tree.</summary>
    public static string Data => Path.Combine(RepoRoot, "tests", "VfioKit.Tests", "Data");

    public static string DataFile(params string[] parts) => Path.Combine([Data, .. parts]);

    /// <summary>../shared beside the repository (read-only project data), or null where it is absent.</summary>
    public static string? Shared
    {
        get
        {
            var p = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
            return Directory.Exists(p) ? p : null;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VfioKit.sln"))) return dir.FullName;
        throw new InvalidOperationException("VfioKit.sln not found above " + AppContext.BaseDirectory);
    }
}
