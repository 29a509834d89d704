using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace VfioKit.Interop;

/// <summary>ioctl(2) with no argument (the KVM_GET_API_VERSION / KVM_CREATE_VM kind) and close(2) for the descriptor
/// such an ioctl returns.</summary>
internal static partial class Ioctl
{
    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Call(SafeFileHandle fd, nuint request, nint argument);
}
