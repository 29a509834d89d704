namespace VfioKit.Tests.Lab;

/// <summary>
/// The two paths a domain takes through libvirtd in the tests: "kvm" checks vfiokit's domain as written
/// (runs where libvirt supports KVM, skipped with the reason elsewhere); "qemu" checks a copy adapted by
/// <see cref="DomainForVirtType"/> (runs everywhere). Every libvirtd test takes both.
/// </summary>
public static class VirtTypes
{
    public const string Kvm = "kvm";
    public const string Qemu = "qemu";

    /// <summary>For a [MemberData] of a test whose only parameter is the virt type.</summary>
    public static TheoryData<string> Both() => new() { Qemu, Kvm };

    /// <summary>Each row of <paramref name="rows"/> once per virt type, the virt type as the last argument.</summary>
    public static IEnumerable<object[]> Cross(IEnumerable<object[]> rows) =>
        rows.SelectMany(row => new[] { Qemu, Kvm }.Select(t => (object[])[.. row, t]));
}
