using System.Text;
using VfioKit.Diagnostics;
using VfioKit.Files;
using VfioKit.Tests.Cli;
using VfioKit.Tests.Fixing;

namespace VfioKit.Tests.Files;

/// <summary>fix --write and new --output --force under write faults and hostile file systems: the original's
/// bytes survive, nothing is left behind, every failure is exit 2 naming the file.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileReplacementTests
{
    private static readonly string Seed = File.ReadAllText(TestPaths.DataFile("configs", "seed-libvirt-ioh3420.xml"));

    private static string[] Names(string dir) => Directory.GetFileSystemEntries(dir).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void A_second_run_never_overwrites_the_first_backup()
    {
        using var temp = new TempDirectory("vfiokit-fw-");
        var path = temp.File("vm.xml");
        File.WriteAllText(path, Seed);
        Assert.Equal(0, CliRun.Of("fix", path, "--write").ExitCode);
        var firstFix = File.ReadAllText(path);
        // The user puts another unfixed version in place and runs fix again.
        var second = Seed.Replace("<name>", "<!-- second -->\n  <name>");
        File.WriteAllText(path, second);
        var run = CliRun.Of("fix", path, "--write");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Seed, File.ReadAllText(path + ".bak"));
        Assert.Equal(second, File.ReadAllText(path + ".bak.1"));
        Assert.Contains($"original kept as {path}.bak.1", run.Error);
        Assert.NotEqual(firstFix, Seed);
        Assert.Equal(["vm.xml", "vm.xml.bak", "vm.xml.bak.1"], Names(temp.Path));
    }

    [Fact]
    public void A_symlinked_backup_is_never_followed()
    {
        using var temp = new TempDirectory("vfiokit-fw-");
        var victim = temp.File("authorized_keys");
        File.WriteAllText(victim, "ssh-ed25519 AAAA victim\n");
        var path = temp.File("vm.xml");
        File.WriteAllText(path, Seed);
        File.CreateSymbolicLink(path + ".bak", victim);
        Assert.Equal(0, CliRun.Of("fix", path, "--write").ExitCode);
        Assert.Equal("ssh-ed25519 AAAA victim\n", File.ReadAllText(victim));
        Assert.Equal(victim, new FileInfo(path + ".bak").LinkTarget);
        Assert.Equal(Seed, File.ReadAllText(path + ".bak.1"));
        Assert.Equal(["authorized_keys", "vm.xml", "vm.xml.bak", "vm.xml.bak.1"], Names(temp.Path));
    }

    [Fact]
    public void A_backup_that_is_a_directory_or_a_stale_temp_file_is_left_alone()
    {
        using var temp = new TempDirectory("vfiokit-fw-");
        var path = temp.File("vm.xml");
        File.WriteAllText(path, Seed);
        Directory.CreateDirectory(path + ".bak");
        var stale = temp.File(".vm.xml.vfiokit-4242.tmp");
        File.WriteAllText(stale, "stale");
        Assert.Equal(0, CliRun.Of("fix", path, "--write").ExitCode);
        Assert.True(Directory.Exists(path + ".bak"));
        Assert.Equal(Seed, File.ReadAllText(path + ".bak.1"));
        Assert.Equal("stale", File.ReadAllText(stale));
        Assert.Equal([".vm.xml.vfiokit-4242.tmp", "vm.xml", "vm.xml.bak", "vm.xml.bak.1"], Names(temp.Path));
    }

    [Fact]
    public void A_symlinked_config_is_edited_at_its_target_and_says_so()
    {
        using var temp = new TempDirectory("vfiokit-fw-");
        Directory.CreateDirectory(temp.File("real"));
        var target = temp.File("real/vm.xml");
        File.WriteAllText(target, Seed);
        var link = temp.File("vm.xml");
        File.CreateSymbolicLink(link, target);
        var run = CliRun.Of("fix", link, "--write");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"edited its target {target}", run.Error);
        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.NotEqual(Seed, File.ReadAllText(target));
        Assert.Equal(Seed, File.ReadAllText(target + ".bak"));
        Assert.Equal(["vm.xml"], Names(temp.Path).Where(n => n != "real").ToArray());
    }

    [Fact]
    public void A_hard_linked_config_is_refused_and_both_names_keep_their_bytes()
    {
        using var temp = new TempDirectory("vfiokit-fw-");
        var path = temp.File("vm.xml");
        File.WriteAllText(path, Seed);
        Assert.Equal(0, ToolRun.Of("ln", path, temp.File("other.xml")).ExitCode);
        var run = CliRun.Of("fix", path, "--write");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{path}: has 2 hard links", run.Error);
        Assert.Equal(Seed, File.ReadAllText(path));
        Assert.Equal(Seed, File.ReadAllText(temp.File("other.xml")));
        Assert.Equal(["other.xml", "vm.xml"], Names(temp.Path));
    }

    [Fact]
    public void Owner_mode_and_acl_are_kept_on_the_file_and_the_backup()
    {
        using var mount = new ScratchMount();
        var path = mount.File("vm.xml");
        File.WriteAllText(path, Seed);
        Assert.Equal(0, ToolRun.Of("chown", "1234:5678", path).ExitCode);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        // An ACL granting user 65534 read (the xattr form setfacl writes), and a user attribute.
        var acl = SetXattr(path, "system.posix_acl_access", "02000000" + "0100060000000000" + "02000400feff0000" + "0400040000000000" + "1000040000000000" + "2000000000000000");
        SetXattr(path, "user.origin", Convert.ToHexString("hand-written"u8));
        Assert.Equal(0, CliRun.Of("fix", path, "--write").ExitCode);
        foreach (var file in new[] { path, path + ".bak" })
        {
            Assert.Equal("1234:5678 640", Stat(file));
            Assert.Equal(acl, GetXattr(file, "system.posix_acl_access"));
            Assert.Equal(Convert.ToHexString("hand-written"u8), GetXattr(file, "user.origin"));
        }
    }

    [Fact]
    public void A_read_only_file_system_is_exit_2_naming_the_file_with_nothing_changed()
    {
        using var mount = new ScratchMount();
        var path = mount.File("vm.xml");
        File.WriteAllText(path, Seed);
        mount.MakeReadOnly();
        var run = CliRun.Of("fix", path, "--write");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"vfiokit: {path}: cannot keep the original as {path}.bak: Read-only file system", run.Error);
        Assert.Equal(Seed, File.ReadAllText(path));
        Assert.Equal(["vm.xml"], Names(mount.Path));
    }

    [Fact]
    public void A_full_disk_keeps_the_original_and_an_existing_backup_and_leaves_no_temp_file()
    {
        using var mount = new ScratchMount("64k");
        var path = mount.File("vm.xml");
        File.WriteAllText(path, Seed);
        File.WriteAllText(path + ".bak", "an older good backup");
        mount.Fill();
        var run = CliRun.Of("fix", path, "--write");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"vfiokit: {path}: ", run.Error);
        Assert.Contains("No space left on device", run.Error);
        Assert.Equal(Seed, File.ReadAllText(path));
        Assert.Equal("an older good backup", File.ReadAllText(path + ".bak"));
        Assert.Equal(["filler", "vm.xml", "vm.xml.bak"], Names(mount.Path));
    }

    [Fact]
    public void A_change_made_while_writing_is_kept_and_the_write_refused()
    {
        using var temp = new TempDirectory("vfiokit-fw-");
        var path = temp.File("vm.xml");
        var original = Encoding.UTF8.GetBytes(Seed);
        File.WriteAllBytes(path, original);
        var edit = Encoding.UTF8.GetBytes(Seed + "<!-- the user's edit -->\n");
        var e = Assert.Throws<InputException>(() =>
            FileReplacement.Replace(path, original, "fixed"u8.ToArray(), beforeCommit: () => File.WriteAllBytes(path, edit)));
        Assert.Equal(path, e.Origin);
        Assert.Contains("changed while vfiokit was writing it", e.Message);
        Assert.Equal(edit, File.ReadAllBytes(path));
        Assert.Equal(["vm.xml"], Names(temp.Path));

        // Changed between the caller's read and the write: refused before anything is created.
        var stale = Assert.Throws<InputException>(() => FileReplacement.Replace(path, original, "fixed"u8.ToArray()));
        Assert.Contains("changed since vfiokit read it", stale.Message);
        Assert.Equal(["vm.xml"], Names(temp.Path));
    }

    [Fact]
    public void A_file_replaced_by_another_file_while_writing_is_refused()
    {
        using var temp = new TempDirectory("vfiokit-fw-");
        var path = temp.File("vm.xml");
        var original = Encoding.UTF8.GetBytes(Seed);
        File.WriteAllBytes(path, original);
        // An editor saving the same bytes by rename: same text, another inode; its save is what stays.
        var e = Assert.Throws<InputException>(() => FileReplacement.Replace(path, original, "fixed"u8.ToArray(), beforeCommit: () =>
        {
            File.WriteAllBytes(path + ".new", original);
            File.Move(path + ".new", path, overwrite: true);
        }));
        Assert.Contains("changed while vfiokit was writing it", e.Message);
        Assert.Equal(original, File.ReadAllBytes(path));
        Assert.Equal(["vm.xml"], Names(temp.Path));
    }

    [Fact]
    public void New_output_force_through_a_symlink_keeps_the_targets_mode_and_a_backup()
    {
        using var temp = new TempDirectory("vfiokit-fw-");
        var target = temp.File("secret.sh");
        File.WriteAllText(target, "#!/bin/sh\necho old\n");
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var link = temp.File("vm.sh");
        File.CreateSymbolicLink(link, target);
        var result = FileReplacement.Write(link, "#!/bin/sh\necho new\n"u8.ToArray(), (UnixFileMode)0b111_101_101, overwrite: true);
        Assert.True(result.ViaSymlink);
        Assert.Equal(target, result.Target);
        // Executable for its owner, who could read it; not opened to group or others.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(target));
        Assert.Equal("#!/bin/sh\necho old\n", File.ReadAllText(target + ".bak"));
        Assert.Equal(target, new FileInfo(link).LinkTarget);
        var refused = Assert.Throws<InputException>(() => FileReplacement.Write(link, "x"u8.ToArray(), (UnixFileMode)0b110_100_100, overwrite: false));
        Assert.Contains("--force", refused.Message);
        var fresh = FileReplacement.Write(temp.File("new.xml"), "<domain/>"u8.ToArray(), (UnixFileMode)0b110_100_100, overwrite: false);
        Assert.Null(fresh.Backup);
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(temp.File("new.xml")));
        Assert.Equal(["new.xml", "secret.sh", "secret.sh.bak", "vm.sh"], Names(temp.Path));
    }

    private static string Stat(string path) => ToolRun.Of("stat", "-c", "%u:%g %a", path).Output.Trim();

    private static string SetXattr(string path, string name, string hex)
    {
        var (code, output) = ToolRun.Of("python3", "-c", "import os,sys; os.setxattr(sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3]))", path, name, hex);
        Assert.True(code == 0, output);
        return GetXattr(path, name);
    }

    private static string GetXattr(string path, string name)
    {
        var (code, output) = ToolRun.Of("python3", "-c", "import os,sys; print(os.getxattr(sys.argv[1], sys.argv[2]).hex().upper())", path, name);
        Assert.True(code == 0, output);
        return output.Trim();
    }
}
