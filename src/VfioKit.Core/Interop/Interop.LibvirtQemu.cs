using System.Runtime.InteropServices;

namespace VfioKit.Interop;

/// <summary>
/// libvirt's QEMU-specific library (libvirt-qemu.so.0, shipped in Debian's libvirt0 beside libvirt.so.0): the guest
/// agent pass-through of include/libvirt/libvirt-qemu.h (libvirt 9.0). Errors land in libvirt.so.0's per-thread last
/// error (<see cref="Libvirt.GetLastErrorMessage"/>). Only <see cref="VfioKit.Libvirt.LibvirtConnection"/> calls it.
/// </summary>
internal static partial class LibvirtQemu
{
    public const string Library = "libvirt-qemu.so.0";

    // virterror.h: what virDomainQemuAgentCommand fails with when the agent cannot be used
    public const int ErrOperationInvalid = 55;       // VIR_ERR_OPERATION_INVALID: the domain is not running
    public const int ErrArgumentUnsupported = 74;    // VIR_ERR_ARGUMENT_UNSUPPORTED: no org.qemu.guest_agent.0 channel
    public const int ErrAgentUnresponsive = 86;      // VIR_ERR_AGENT_UNRESPONSIVE: not connected, or no answer in time

    /// <summary>Sends one guest agent command (JSON) and returns the agent's whole answer as a string the caller frees;
    /// NULL on failure. <paramref name="timeout"/> in seconds (-2 block, -1 libvirt's default, 0 do not wait).</summary>
    [LibraryImport(Library, EntryPoint = "virDomainQemuAgentCommand", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr DomainQemuAgentCommand(IntPtr domain, string command, int timeout, uint flags);
}
