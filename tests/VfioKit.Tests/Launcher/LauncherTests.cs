using System.Diagnostics;
using VfioKit.Tests.Fixing;

namespace VfioKit.Tests.Launcher;

/// <summary>
/// The `./vfiokit` launcher's staleness check: a changed source rebuilds, an unchanged tree does not.
/// The launcher runs on a copy of itself in a small tree, with a `dotnet` first on PATH that records each
/// publish and copies this suite's build of the CLI (the JIT apphost and its assemblies) as the binary: a
/// real NativeAOT publish takes minutes here, and what is under test is the decision to build, taken by the
/// real binary (Install/SourceFreshness.cs and SourceWalk.c: the launcher execs it at once, it walks the sources on
/// a thread and, when one is newer, runs the launcher again to rebuild) and the launcher's content hash.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LauncherTests : IDisposable
{
    private static readonly string[] CliFiles =
    [
        "vfiokit", "vfiokit.dll", "vfiokit.deps.json", "vfiokit.runtimeconfig.json", "VfioKit.Core.dll",
        "Spectre.Console.dll", "Spectre.Console.Ansi.dll", "System.CommandLine.dll", "libvfiokitsource.so",
    ];

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
        Write("src/VfioKit.Core/Any.Shape/a/b/c/d/e/f/Deeper.cs", "class Deeper {}\n");
        Directory.CreateDirectory(_temp.File("tools"));
        // Copies the CLI into OUT (the argument after -o), as the real publish writes OUT/vfiokit.
        var files = string.Join(" ", CliFiles.Select(f => $"'{Path.Combine(AppContext.BaseDirectory, f)}'"));
        var dotnet = _temp.File("tools/dotnet");
        File.WriteAllText(dotnet, $"""
            #!/bin/sh
            echo publish >>'{Builds}'
            while [ "$1" != -o ]; do shift; done
            mkdir -p "$2"
            cp {files} "$2"/
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

    /// <summary>Makes a change a clock tick after the last build (so its mtimes are newer), then <see cref="Run"/>.</summary>
    private void RunAfter(Action change)
    {
        Thread.Sleep(20);
        change();
        Run();
    }

    /// <summary>`./vfiokit lint 'a b.xml'` in the small tree: the real CLI says the file is missing, naming it
    /// whole, so the arguments went through the launcher (and any rebuild) unchanged.</summary>
    private void Run()
    {
        var (code, output, error) = Launch(Path.Combine(Root, "vfiokit"), [], "lint", "a b.xml");
        Assert.True(code == 2, $"exit {code}\n{output}\n{error}");
        Assert.Contains("a b.xml", error);
        Assert.DoesNotContain("could not be run to rebuild", error);
    }

    private (int Code, string Output, string Error) Launch(string program, Dictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        psi.Environment["PATH"] = _temp.File("tools") + ":/usr/bin:/bin";
        // The apphost finds the runtime this suite runs on (it may not be installed where apphost looks first).
        psi.Environment["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, output.Result, error.Result);
    }

    [Fact]
    public void The_first_run_builds_and_the_next_runs_reuse_the_binary()
    {
        Run();
        Assert.Equal(1, BuildCount);
        Run();
        Assert.Equal(1, BuildCount);
    }

    [Theory]
    [InlineData("src/VfioKit.Core/Rules/Facts/Deep.cs")]
    [InlineData("src/VfioKit.Core/Formats/Libvirt/Addressing/Deeper/Deepest.cs")]
    [InlineData("src/VfioKit.Core/Any.Shape/a/b/c/d/e/f/Deeper.cs")]
    [InlineData("src/VfioKit.Cli/VfioKit.Cli.csproj")]
    [InlineData("docs/rules/VK101.md")]
    [InlineData("Directory.Build.props")]
    public void A_changed_input_rebuilds(string input)
    {
        Run();
        RunAfter(() => File.AppendAllText(Path.Combine(Root, input), "// changed\n"));
        Assert.Equal(2, BuildCount);
        Run();
        Assert.Equal(2, BuildCount);
    }

    [Fact]
    public void A_touched_but_unchanged_source_does_not_rebuild()
    {
        Run();
        RunAfter(() => File.SetLastWriteTimeUtc(Path.Combine(Root, "src/VfioKit.Core/Rules/Facts/Deep.cs"), DateTime.UtcNow));
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
        RunAfter(() => File.Delete(Path.Combine(Root, "src/VfioKit.Core/Rules/Facts/Deep.cs")));
        Assert.Equal(2, BuildCount);
        RunAfter(() => Write("src/VfioKit.Core/New.cs", "class New {}\n"));
        Assert.Equal(3, BuildCount);
    }

    [Fact]
    public void A_source_added_in_a_directory_made_after_the_build_rebuilds()
    {
        Run();
        // An empty directory changes no content: the hash lets the binary run as it is, but the launcher
        // lists the new directory, so a file added to it later (which moves only that directory's mtime) is seen.
        RunAfter(() => Directory.CreateDirectory(_temp.File("src/VfioKit.Core/Later/Inner")));
        Assert.Equal(1, BuildCount);
        RunAfter(() => Write("src/VfioKit.Core/Later/Inner/Added.cs", "class Added {}\n"));
        Assert.Equal(2, BuildCount);
    }

    [Fact]
    public void A_verdict_that_cannot_be_had_goes_through_the_hash_and_does_not_rebuild_an_unchanged_tree()
    {
        Run();
        // The binary run by hand as the launcher runs it, but with no stamp to compare with: it cannot know it
        // is current, so it asks the launcher, whose hash finds no change and puts a new stamp in place.
        var stamp = _temp.File(".cache/aot/.stamp3");
        File.Delete(stamp);
        var (code, _, error) = Launch(_temp.File(".cache/aot/vfiokit"), new() { ["VFIOKIT_LAUNCHER"] = _temp.File("vfiokit") }, "lint", "a b.xml");
        Assert.True(code == 2, $"exit {code}\n{error}");
        Assert.Contains("a b.xml", error);
        Assert.True(File.Exists(stamp), "the launcher's slow path did not run: no new stamp");
        Assert.Equal(1, BuildCount);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("cut short")]
    public void A_list_of_inputs_that_cannot_be_trusted_goes_through_the_hash(string damage)
    {
        Run();
        var list = _temp.File(".cache/aot/.inputs");
        var whole = File.ReadAllText(list);
        var stamped = File.GetLastWriteTimeUtc(_temp.File(".cache/aot/.stamp3"));
        if (damage == "missing") File.Delete(list);
        // Cut after a whole path, before its NUL: each entry left is there, the ones after it are lost.
        else File.WriteAllText(list, whole[..(whole.IndexOf("Deep.cs", StringComparison.Ordinal) + "Deep.cs".Length)]);
        RunAfter(() => { });
        // The hash found nothing changed: no build, but a new stamp and a whole list again.
        Assert.Equal(1, BuildCount);
        Assert.True(File.GetLastWriteTimeUtc(_temp.File(".cache/aot/.stamp3")) > stamped, "the launcher's slow path did not run");
        Assert.Equal(whole, File.ReadAllText(list));
    }

    [Fact]
    public void A_stale_tree_is_rebuilt_by_the_binary_run_as_the_launcher_runs_it()
    {
        Run();
        Thread.Sleep(20);
        File.AppendAllText(_temp.File("src/VfioKit.Core/Rules/Facts/Deep.cs"), "// changed\n");
        var (code, _, error) = Launch(_temp.File(".cache/aot/vfiokit"), new() { ["VFIOKIT_LAUNCHER"] = _temp.File("vfiokit") }, "lint", "a b.xml");
        Assert.True(code == 2, $"exit {code}\n{error}");
        Assert.Contains("a b.xml", error);
        Assert.Equal(2, BuildCount);
    }

    [Fact]
    public void The_native_binary_runs_a_current_tree_as_it_is_and_sends_a_stale_one_to_the_launcher()
    {
        // The walk in the NativeAOT binary is a C constructor linked into it (Install/SourceWalk.c): the JIT
        // build above loads the same code as a library, this runs the real native binary.
        Run();
        File.Copy(NativeBinary.Path, _temp.File(".cache/aot/vfiokit"), overwrite: true);
        Run();
        Assert.Equal(1, BuildCount);
        RunAfter(() => File.AppendAllText(_temp.File("src/VfioKit.Core/Rules/Facts/Deep.cs"), "// changed\n"));
        Assert.Equal(2, BuildCount);
    }

    [Fact]
    public void An_installed_copy_never_runs_the_launcher_named_in_its_environment()
    {
        Run();
        // A copy of the binary elsewhere (as `vfiokit install` leaves it), with the tree stale: had it trusted
        // the variable, the launcher's slow path would rebuild (a publish logged).
        var installed = Directory.CreateDirectory(_temp.File("prefix/bin")).FullName;
        foreach (var f in CliFiles) File.Copy(_temp.File(Path.Combine(".cache/aot", f)), Path.Combine(installed, f));
        Thread.Sleep(20);
        File.AppendAllText(_temp.File("src/VfioKit.Core/Rules/Facts/Deep.cs"), "// changed\n");
        var (code, _, error) = Launch(Path.Combine(installed, "vfiokit"), new() { ["VFIOKIT_LAUNCHER"] = _temp.File("vfiokit") }, "lint", "a b.xml");
        Assert.True(code == 2, $"exit {code}\n{error}");
        Assert.Contains("a b.xml", error);
        Assert.Equal(1, BuildCount);
    }

    [Fact]
    public void The_built_binary_never_runs_a_script_of_another_tree_named_in_its_environment()
    {
        Run();
        // A script called vfiokit whose .cache/aot/vfiokit is not this process: not this binary's launcher.
        var marker = _temp.File("ran");
        var other = Directory.CreateDirectory(_temp.File("other")).FullName;
        File.WriteAllText(Path.Combine(other, "vfiokit"), $"#!/bin/sh\ntouch '{marker}'\n");
        File.SetUnixFileMode(Path.Combine(other, "vfiokit"), (UnixFileMode)0b111_101_101);
        var (code, _, error) = Launch(_temp.File(".cache/aot/vfiokit"), new() { ["VFIOKIT_LAUNCHER"] = Path.Combine(other, "vfiokit") }, "lint", "a b.xml");
        Assert.True(code == 2, $"exit {code}\n{error}");
        Assert.Contains("a b.xml", error);
        Assert.False(File.Exists(marker), "the binary ran the script named in VFIOKIT_LAUNCHER");
    }

    [Fact]
    public void Build_output_under_bin_and_obj_does_not_rebuild()
    {
        Run();
        RunAfter(() =>
        {
            Write("src/VfioKit.Cli/obj/project.assets.json", "{}");
            Write("src/VfioKit.Cli/bin/Release/x.dll", "");
        });
        Assert.Equal(1, BuildCount);
    }

    [Fact]
    public void The_launcher_lists_every_input_file_and_directory_but_build_output()
    {
        Write("src/VfioKit.Cli/obj/project.assets.json", "{}");
        Write("src/VfioKit.Cli/bin/Release/x.dll", "");
        Run();
        var listed = File.ReadAllText(_temp.File(".cache/aot/.inputs")).Split('\0', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal);
        var expected = new[] { "src", "docs/rules" }
            .SelectMany(d => Directory.EnumerateFileSystemEntries(Path.Combine(Root, d), "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(Root, p)).Prepend(d))
            .Where(p => !p.Split('/').Any(part => part is "bin" or "obj"))
            .Append("Directory.Build.props")
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, listed);
    }

    [Fact]
    public void The_launcher_passes_shellcheck_as_posix_sh()
    {
        var (code, output) = ToolRun.Of("shellcheck", "-x", Path.Combine(TestPaths.RepoRoot, "vfiokit"));
        Assert.True(code == 0, output);
        Assert.StartsWith("#!/bin/sh\n", File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "vfiokit")));
    }
}
