namespace VfioKit.Host;

/// <summary>
/// Where the facts of a host come from: a directory tree (`/` or a snapshot, <see cref="DirectoryHostSource"/>) or a
/// libvirt connection to a host elsewhere (VfioKit.Libvirt.LibvirtHostSource). <see cref="HostModel.Read(IHostSource)"/>
/// builds slots, GPUs and the readiness checklist from them the same way for both.
/// </summary>
public interface IHostSource
{
    /// <summary>Reads the facts once. Odd or missing facts become nulls, notes and <see cref="HostFacts.Absent"/>.</summary>
    HostFacts Read();
}
