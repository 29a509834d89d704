using System.Text;
using VfioKit.Probe;

namespace VfioKit.Tests.Probe;

/// <summary>The newc writer, checked by the real cpio(1) that unpacks it.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InitramfsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vfiokit-cpio-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Initramfs Sample() => Initramfs.Empty
        .WithDirectory("proc")
        .WithDirectory("etc", 0x1c0 /* 0700 */)
        .WithFile("bin/tool", new byte[] { 0x7f, 0x45, 0x4c, 0x46, 1, 2, 3 }, 0x1ed /* 0755 */)
        .WithSymlink("bin/sh", "tool")
        .WithFile("deep/er/notes.txt", "odd length: 13")
        .WithFile("empty", Array.Empty<byte>());

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Real_cpio_unpacks_files_directories_links_and_modes(bool gzip)
    {
        var archive = Sample().ToArray(gzip);
        if (gzip)
        {
            var gunzip = ExternalTool.Run("gzip", ["-dc"], archive);
            Assert.True(gunzip.ExitCode == 0, gunzip.Error);
            archive = gunzip.Out;
        }

        var cpio = ExternalTool.Run("cpio", ["-idv", "--no-absolute-filenames"], archive, _dir);
        Assert.True(cpio.ExitCode == 0, cpio.Error);

        Assert.Equal(new byte[] { 0x7f, 0x45, 0x4c, 0x46, 1, 2, 3 }, File.ReadAllBytes(Path.Combine(_dir, "bin/tool")));
        Assert.Equal("odd length: 13", File.ReadAllText(Path.Combine(_dir, "deep/er/notes.txt")));
        Assert.Empty(File.ReadAllBytes(Path.Combine(_dir, "empty")));
        Assert.Equal("tool", new FileInfo(Path.Combine(_dir, "bin/sh")).LinkTarget);
        Assert.Equal((UnixFileMode)0x1ed, File.GetUnixFileMode(Path.Combine(_dir, "bin/tool")));
        Assert.Equal((UnixFileMode)0x1c0, File.GetUnixFileMode(Path.Combine(_dir, "etc")));
        Assert.True(Directory.Exists(Path.Combine(_dir, "proc")));
        // cpio -v lists every member, implicit parents first, and nothing after the trailer.
        Assert.Equal(["proc", "etc", "bin", "bin/tool", "bin/sh", "deep", "deep/er", "deep/er/notes.txt", "empty"],
            cpio.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.Contains("block", StringComparison.Ordinal)));
    }

    [Fact]
    public void Real_cpio_lists_the_archive_with_owner_root_and_no_complaint()
    {
        var list = ExternalTool.Run("cpio", ["-itv"], Sample().ToArray(gzip: false));
        Assert.True(list.ExitCode == 0, list.Error);
        var lines = list.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("lrwxrwxrwx", StringComparison.Ordinal) && l.EndsWith("bin/sh -> tool", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("-rwxr-xr-x", StringComparison.Ordinal) && l.Contains(" root ", StringComparison.Ordinal) && l.EndsWith("bin/tool", StringComparison.Ordinal));
        Assert.DoesNotContain("warning", list.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_same_archive_is_written_byte_for_byte_the_same() =>
        Assert.Equal(Sample().ToArray(gzip: false), Sample().ToArray(gzip: false));

    [Fact]
    public void Every_member_is_4_byte_aligned_with_the_newc_magic()
    {
        var bytes = Sample().ToArray(gzip: false);
        Assert.Equal("070701", Encoding.ASCII.GetString(bytes, 0, 6));
        Assert.Equal(0, bytes.Length % 4);
        Assert.Contains("TRAILER!!!", Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("a/../b")]
    [InlineData("a//b")]
    public void Paths_that_leave_the_archive_are_refused(string path) =>
        Assert.Throws<ArgumentException>(() => Initramfs.Empty.WithFile(path, "x"));

    [Fact]
    public void A_path_added_twice_is_refused() =>
        Assert.Throws<ArgumentException>(() => Initramfs.Empty.WithFile("init", "a").WithSymlink("init", "b"));
}
