using Xunit.Abstractions;

namespace VfioKit.Tests.Lab;

/// <summary>
/// One test's way through libvirtd under one virt type (from <see cref="LibvirtdFixture.Under"/>): every
/// domain it is given is checked as written (kvm) or as the adapted copy (qemu), and what was changed is
/// printed to the test's output.
/// </summary>
public sealed class LibvirtdPath(LibvirtdFixture libvirtd, string virtType, ITestOutputHelper output)
{
    public string VirtType => virtType;

    /// <summary>`virsh domxml-to-native qemu-argv` of the domain (or of its adapted copy).</summary>
    public (int Exit, string Out, string Err) ToNative(string xmlFile)
    {
        using var copy = new TempDirectory("vfiokit-virttype-");
        return libvirtd.ToNative(Prepare(xmlFile, copy));
    }

    /// <summary>`virsh define` of the domain (or of its adapted copy), then `virsh undefine` of <paramref name="name"/>
    /// so the machine keeps no domain of the tests'.</summary>
    public (int Exit, string Out, string Err) Define(string xmlFile, string name)
    {
        using var copy = new TempDirectory("vfiokit-virttype-");
        libvirtd.EnsureRunning();
        var define = LibvirtdFixture.Run("virsh", "-c", LibvirtdFixture.Uri, "define", Prepare(xmlFile, copy));
        if (define.Exit == 0) LibvirtdFixture.Run("virsh", "-c", LibvirtdFixture.Uri, "undefine", "--nvram", name);
        return define;
    }

    /// <summary>As <see cref="Define"/>, and the definition as libvirt kept it (`virsh dumpxml --inactive`), read
    /// before the undefine; empty when the define failed.</summary>
    public (int Exit, string Out, string Err, string Kept) DefineAndRead(string xmlFile, string name)
    {
        using var copy = new TempDirectory("vfiokit-virttype-");
        libvirtd.EnsureRunning();
        var define = LibvirtdFixture.Run("virsh", "-c", LibvirtdFixture.Uri, "define", Prepare(xmlFile, copy));
        if (define.Exit != 0) return (define.Exit, define.Out, define.Err, "");
        var kept = LibvirtdFixture.Run("virsh", "-c", LibvirtdFixture.Uri, "dumpxml", "--inactive", name);
        LibvirtdFixture.Run("virsh", "-c", LibvirtdFixture.Uri, "undefine", "--nvram", name);
        return (define.Exit, define.Out, define.Err, kept.Exit == 0 ? kept.Out : "");
    }

    private string Prepare(string xmlFile, TempDirectory copy)
    {
        var adapted = DomainForVirtType.Adapt(File.ReadAllText(xmlFile), virtType);
        if (adapted.Changes.Count == 0)
        {
            output.WriteLine($"libvirtd path {virtType}: {Path.GetFileName(xmlFile)} as written");
            return xmlFile;
        }
        output.WriteLine($"libvirtd path {virtType}: a copy of {Path.GetFileName(xmlFile)} with {string.Join("; ", adapted.Changes)}");
        var path = copy.File(Path.GetFileName(xmlFile));
        File.WriteAllText(path, adapted.Xml);
        return path;
    }
}
