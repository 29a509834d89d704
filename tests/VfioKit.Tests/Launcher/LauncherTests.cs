using System.Diagnostics;
using VfioKit.Tests.Fixing;

namespace VfioKit.Tests.Launcher;

/// <summary>
/// The `./vfiokit` launcher's staleness check: a changed source rebuilds, an unchanged tree does not.
/// The launcher runs on a copy of itself in a small tree, with a `dotnet` first on PATH that records each
/// publish and writes a script as the binary: a real publish takes minutes here, and what is under test is
/// the launcher's decision to build, not the build.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LauncherTests : IDisposable
{
    private readonly TempDirectory _temp = new("vfiokit-launcher-");
    private string Root => _temp.Path;
    private string Builds => _temp.File("builds.log");

    public LauncherTests()
    {
        File.Copy(Path.Combine(TestPaths.RepoRoot, "vfiokit"), _temp.File("vfiokit"));
        File.SetUnixFileMode(_temp.File("vfiokit"), (UnixFileMode)0b111_101_101);
        Write("Directory.Build.props", "<Project/>\n");
        Write("docs/rules/VK101.md", "# VK101\n");
        Write("src/VfioKit.Cli/VfioKit.Cli.csproj", "<Project/>\n");
        Write("src/VfioKit.Core/Rules/Facts/Deep.cs", "class Deep {}\n");
        Write("src/VfioKit.Core/Formats/Libvirt/Addressing/Deeper/Deepest.cs", "class Deepest {}\n");
        Directory.CreateDirectory(_temp.File("tools"));
        // Writes OUT/vfiokit (the argument after -o) as a script that prints its arguments.
        var dotnet = _temp.File("tools/dotnet");
        File.WriteAllText(dotnet, $"""
            #!/bin/sh
            echo publish >>'{Builds}'
            while [ "$1" != -o ]; do shift; done
            mkdir -p "$2"
            printf '#!/bin/sh\necho ran "$@"\n' >"$2/vfiokit"
            chmod +x "$2/vfiokit"
            """);
        File.SetUnixFileMode(dotnet, (UnixFileMode)0b111_101_101);
    }

    public void Dispose() => _temp.Dispose();

    private void Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private int BuildCount => File.Exists(Builds) ? File.ReadAllLines(Builds).Length : 0;

    private string Run()
    {
        var psi = new ProcessStartInfo(Path.Combine(Root, "vfiokit")) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("lint");
        psi.ArgumentList.Add("a b.xml");
        psi.Environment["PATH"] = _temp.File("tools") + ":/usr/bin:/bin";
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, error.Result);
        return output.Result;
    }

    [Fact]
    public void The_first_run_builds_and_the_next_runs_reuse_the_binary()
    {
        Assert.Equal("ran lint a b.xml\n", Run());
        Assert.Equal(1, BuildCount);
        Assert.Equal("ran lint a b.xml\n", Run());
        Assert.Equal(1, BuildCount);
    }

    [Theory]
    [InlineData("src/VfioKit.Core/Rules/Facts/Deep.cs")]
    [InlineData("src/VfioKit.Core/Formats/Libvirt/Addressing/Deeper/Deepest.cs")]
    [InlineData("src/VfioKit.Cli/VfioKit.Cli.csproj")]
    [InlineData("docs/rules/VK101.md")]
    [InlineData("Directory.Build.props")]
    public void A_changed_input_rebuilds(string input)
    {
        Run();
        Thread.Sleep(20);
        File.AppendAllText(Path.Combine(Root, input), "// changed\n");
        Run();
        Assert.Equal(2, BuildCount);
        Run();
        Assert.Equal(2, BuildCount);
    }

    [Fact]
    public void A_touched_but_unchanged_source_does_not_rebuild()
    {
        Run();
        Thread.Sleep(20);
        File.SetLastWriteTimeUtc(Path.Combine(Root, "src/VfioKit.Core/Rules/Facts/Deep.cs"), DateTime.UtcNow);
        Run();
        Assert.Equal(1, BuildCount);
    }

    [Fact]
    public void A_file_replaced_with_an_older_mtime_rebuilds_as_after_a_git_checkout()
    {
        Run();
        Thread.Sleep(20);
        // git checkout writes a new file and renames or unlinks the old one; its mtime may be anything
        // (here a year ago, as cp -p or tar would leave it), but its directory's mtime is now.
        var target = Path.Combine(Root, "src/VfioKit.Core/Rules/Facts/Deep.cs");
        var replacement = target + ".new";
        File.WriteAllText(replacement, "class Other {}\n");
        File.SetLastWriteTimeUtc(replacement, DateTime.UtcNow.AddYears(-1));
        File.Move(replacement, target, overwrite: true);
        Run();
        Assert.Equal(2, BuildCount);
    }

    [Fact]
    public void A_deleted_or_added_source_rebuilds()
    {
        Run();
        Thread.Sleep(20);
        File.Delete(Path.Combine(Root, "src/VfioKit.Core/Rules/Facts/Deep.cs"));
        Run();
        Assert.Equal(2, BuildCount);
        Thread.Sleep(20);
        Write("src/VfioKit.Core/New.cs", "class New {}\n");
        Run();
        Assert.Equal(3, BuildCount);
    }

    [Fact]
    public void Build_output_under_bin_and_obj_does_not_rebuild()
    {
        Run();
        Thread.Sleep(20);
        Write("src/VfioKit.Cli/obj/project.assets.json", "{}");
        Write("src/VfioKit.Cli/bin/Release/x.dll", "");
        Run();
        Assert.Equal(1, BuildCount);
    }

    [Fact]
    public void Every_source_of_the_repository_lies_within_what_the_launcher_checks()
    {
        // The launcher's fast path walks src/PROJECT/ four directory levels down (six path parts below
        // src/), skips bin/ and obj/, and takes a name with a dot for a file without a stat of its own.
        var src = Path.Combine(TestPaths.RepoRoot, "src");
        var entries = Directory.EnumerateFileSystemEntries(src, "*", SearchOption.AllDirectories)
            .Select(p => (Path: Path.GetRelativePath(src, p), IsDirectory: Directory.Exists(p)))
            .Where(e => !e.Path.Split('/').Any(part => part is "bin" or "obj"))
            .ToList();
        Assert.True(entries.Count > 300, $"{entries.Count} entries under src/");
        Assert.Empty(entries.Where(e => e.Path.Split('/').Length > 6).Select(e => e.Path));
        Assert.Empty(entries.Where(e => e.IsDirectory && e.Path.Contains('/') && Path.GetFileName(e.Path).Contains('.')).Select(e => e.Path));
        Assert.Empty(entries.Where(e => !e.IsDirectory && !Path.GetFileName(e.Path).Contains('.')).Select(e => e.Path));
        Assert.Contains("newer \"${project%/}\" 4", File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "vfiokit")));
    }

    [Fact]
    public void The_launcher_passes_shellcheck_as_posix_sh()
    {
        var (code, output) = ToolRun.Of("shellcheck", "-x", Path.Combine(TestPaths.RepoRoot, "vfiokit"));
        Assert.True(code == 0, output);
        Assert.StartsWith("#!/bin/sh\n", File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "vfiokit")));
    }
}
