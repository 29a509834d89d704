using VfioKit.Probe;

namespace VfioKit.Tests.Probe;

/// <summary>Finding QEMU, the kernel and busybox, and saying how to get whichever is missing.</summary>
public sealed class ProbeToolsTests
{
    [Fact]
    public void QEMU_not_in_PATH_names_the_PATH_and_the_package()
    {
        var e = Assert.Throws<MissingToolException>(() => ProbeTools.FindQemu("/nonexistent:/also-not"));
        Assert.Equal("qemu-system-x86_64", e.Tool);
        Assert.Contains("/nonexistent:/also-not", e.Message);
        Assert.Contains("apt-get install qemu-system-x86", e.HowToGet);
    }

    [Fact]
    public void QEMU_is_found_in_PATH() =>
        Assert.EndsWith("/qemu-system-x86_64", ProbeTools.FindQemu(Environment.GetEnvironmentVariable("PATH")));

    [Fact]
    public void The_static_busybox_is_accepted_and_a_dynamic_program_is_not()
    {
        Assert.Equal("/bin/busybox", ProbeTools.CheckBusybox("/bin/busybox"));
        var e = Assert.Throws<MissingToolException>(() => ProbeTools.CheckBusybox("/bin/ls"));
        Assert.Contains("not a statically linked", e.Message);
        Assert.Contains("busybox-static", e.HowToGet);
        Assert.Contains("apt-get install busybox-static", Assert.Throws<MissingToolException>(() => ProbeTools.CheckBusybox("/nonexistent/busybox")).HowToGet);
    }

    [Fact]
    public void No_kernel_anywhere_lists_where_it_looked()
    {
        var e = Assert.Throws<MissingToolException>(() => ProbeTools.FindKernel(new ToolSearch(null, null, null, "/nonexistent-boot", ["/nonexistent/vmlinuz"])));
        Assert.Contains("/nonexistent-boot/vmlinuz-*", e.Message);
        Assert.Contains("/nonexistent/vmlinuz", e.Message);
        Assert.Contains("--kernel", e.HowToGet);
    }

    [Fact]
    public void The_kernel_from_the_environment_is_used_as_given()
    {
        var e = Assert.Throws<MissingToolException>(() => ProbeTools.FindKernel(new ToolSearch(null, "/nonexistent/bzImage", null)));
        Assert.Contains("$VFIOKIT_LAB_KERNEL", e.Message);
    }

    [Fact]
    public void The_lab_kernel_unpacks_into_an_ELF_with_a_PVH_entry_and_old_machines_boot_the_bzImage()
    {
        var kernel = ProbeLab.Kernel;
        Assert.True(kernel.IsPvh, kernel.Note);
        Assert.True(KernelImage.HasPvhEntry(File.ReadAllBytes(kernel.Path)));
        Assert.False(KernelImage.HasPvhEntry(File.ReadAllBytes("/bin/busybox")));
        var old = VfioKit.Formats.Qemu.QemuCommandLine.FromArgv(["-machine", "pc-q35-3.1"]).Machine;
        Assert.False(kernel.For(old).IsPvh);
        Assert.Equal(kernel.Source, kernel.For(old).Path);
        Assert.True(kernel.For(VfioKit.Formats.Qemu.QemuCommandLine.FromArgv(["-machine", "pc-q35-4.0"]).Machine).IsPvh);
    }

    [Theory]
    [InlineData("QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\nCopyright", "7.2")]
    [InlineData("QEMU emulator version 10.1.0\n", "10.1")]
    public void The_QEMU_version_is_read_from_its_banner(string banner, string version) =>
        Assert.Equal(version, QemuVersionReader.Parse(banner)?.ToString());

    [Fact]
    public void The_installed_QEMU_reports_its_version() =>
        Assert.True(QemuVersionReader.Read(ProbeLab.Tools.Qemu).Major >= 7);
}
