namespace VfioKit.Libvirt;

/// <summary>A domain as libvirt lists it: name, UUID and whether it runs.</summary>
public sealed record LibvirtDomainName(string Name, string Uuid, bool Active);
