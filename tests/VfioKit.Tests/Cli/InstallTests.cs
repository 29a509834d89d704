using VfioKit.Cli.Install;
using VfioKit.Tests.Fixing;

namespace VfioKit.Tests.Cli;

/// <summary>`vfiokit install`: the files it writes under a temporary prefix, and the completion script as bash runs it.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InstallTests : IDisposable
{
    private readonly TempDirectory _temp = new("vfiokit-install-");

    public void Dispose() => _temp.Dispose();

    /// <summary>The completion of the real command tree, the one `vfiokit` parses with.</summary>
    private static string Completion() => BashCompletion.For(VfioKit.Cli.CliApp.Root(new StringWriter(), new StringWriter()));

    /// <summary>Sources the completion in a non-interactive bash and completes `vfiokit WORDS` at the last word.</summary>
    private string Complete(string script, params string[] words)
    {
        File.WriteAllText(_temp.File("completion.bash"), script);
        var line = string.Join(' ', words.Select(w => $"'{w}'"));
        var (code, output) = ToolRun.Of("bash", "-c",
            $"source '{_temp.File("completion.bash")}'; complete -p vfiokit; COMP_WORDS=(vfiokit {line}); COMP_CWORD={words.Length}; _vfiokit; printf '%s\\n' \"${{COMPREPLY[@]}}\"");
        Assert.True(code == 0, output);
        return output;
    }

    [Fact]
    public void Dry_run_prints_both_steps_and_writes_nothing()
    {
        var prefix = _temp.File("prefix");
        var run = CliRun.Of("install", "--prefix", prefix, "--dry-run");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"would copy {Environment.ProcessPath} to {prefix}/bin/vfiokit (mode 0755)", run.Out);
        Assert.Contains($"would write the bash completion to {prefix}/share/bash-completion/completions/vfiokit", run.Out);
        Assert.False(Directory.Exists(prefix));
    }

    [Fact]
    public void Outside_the_native_binary_install_refuses_and_writes_nothing()
    {
        var prefix = _temp.File("prefix");
        var run = CliRun.Of("install", "--prefix", prefix);
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("./vfiokit install", run.Error);
        Assert.False(Directory.Exists(prefix));
    }

    [Fact]
    public void The_default_prefix_is_usr_local_for_root_and_dot_local_for_a_user()
    {
        Assert.Equal("/usr/local", Installation.DefaultPrefix(root: true, "/home/ann"));
        Assert.Equal("/home/ann/.local", Installation.DefaultPrefix(root: false, "/home/ann"));
    }

    [Fact]
    public void Install_copies_an_executable_binary_and_the_completion_into_the_prefix()
    {
        var source = _temp.File("vfiokit-built");
        File.WriteAllText(source, "#!/bin/sh\necho installed-binary \"$@\"\n");
        var prefix = _temp.File("prefix");
        var install = new Installation(source, prefix, Completion());
        install.Apply();
        // Twice: replacing an installed version works the same.
        install.Apply();
        Assert.Equal(["vfiokit"], Directory.GetFiles(Path.Combine(prefix, "bin")).Select(Path.GetFileName));
        Assert.Equal("installed-binary version\n", ToolRun.Of(Path.Combine(prefix, "bin", "vfiokit"), "version").Output);
        Assert.Equal(install.CompletionText, File.ReadAllText(Path.Combine(prefix, "share", "bash-completion", "completions", "vfiokit")));
        Assert.Equal(["vfiokit"], Directory.GetFiles(Path.Combine(prefix, "share", "bash-completion", "completions")).Select(Path.GetFileName));
    }

    [Fact]
    public void The_completion_registers_itself_and_completes_every_verb()
    {
        var root = VfioKit.Cli.CliApp.Root(new StringWriter(), new StringWriter());
        var script = BashCompletion.For(root);
        var verbs = Complete(script, "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("complete -o default -F _vfiokit vfiokit", verbs[0]);
        foreach (var verb in root.Subcommands) Assert.Contains(verb.Name, verbs);
        Assert.Contains("install", verbs);
        Assert.Equal(["lg-size", "lint"], Complete(script, "l").Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Order());
    }

    [Fact]
    public void The_completion_offers_a_verbs_own_options_and_no_verbs_after_it()
    {
        var script = BashCompletion.For(VfioKit.Cli.CliApp.Root(new StringWriter(), new StringWriter()));
        var lint = Complete(script, "lint", "--f").Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Equal(["--fail-on", "--format"], lint.Order());
        var fix = Complete(script, "fix", "--").Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Contains("--write", fix);
        Assert.Contains("--help", fix);
        Assert.DoesNotContain("--fail-on", fix);
        // A file argument after the verb: no verb names, bash's own file completion (-o default) takes over.
        Assert.Empty(Complete(script, "lint", "wi").Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1));
    }

    [Fact]
    public void The_completion_script_passes_shellcheck()
    {
        var path = _temp.File("vfiokit.bash");
        File.WriteAllText(path, BashCompletion.For(VfioKit.Cli.CliApp.Root(new StringWriter(), new StringWriter())));
        var (code, output) = ToolRun.Of("shellcheck", "--shell=bash", path);
        Assert.True(code == 0, output);
    }
}
