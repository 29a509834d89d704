using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace VfioKit.Tests.Architecture;

/// <summary>The CLI reads no sysfs or procfs itself: host facts come from the core's Host readers (HostModel and
/// friends). Checked on the compiled CLI: none of its string literals is a path under sys/ or proc/.</summary>
public sealed class CliHostAccessTests
{
    private static IReadOnlyList<string> Literals(string assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly));
        var md = pe.GetMetadataReader();
        var all = new List<string>();
        for (var h = MetadataTokens.UserStringHandle(1); !h.IsNil; h = md.GetNextHandle(h)) all.Add(md.GetUserString(h));
        return all;
    }

    private static bool IsHostPath(string s) =>
        s.StartsWith("sys/", StringComparison.Ordinal) || s.StartsWith("/sys/", StringComparison.Ordinal)
        || s.StartsWith("proc/", StringComparison.Ordinal) || s.StartsWith("/proc/", StringComparison.Ordinal);

    [Fact]
    public void No_cli_string_is_a_sysfs_or_procfs_path()
    {
        var literals = Literals(typeof(VfioKit.Cli.ExitCodes).Assembly.Location);
        Assert.Contains(literals, s => s.StartsWith("--", StringComparison.Ordinal)); // the walk sees the literals
        Assert.DoesNotContain(literals, IsHostPath);
    }

    [Fact]
    public void The_core_does_read_them()
    {
        // The same check on the core finds its readers' paths: it would notice a path the CLI used.
        Assert.Contains(Literals(typeof(VfioKit.Rules.Linter).Assembly.Location), IsHostPath);
    }
}
