namespace VfioKit.Runtime;

/// <summary>The socket is not a QMP monitor, or QEMU answered a command with an error.</summary>
public sealed class QmpException(string message, Exception? inner = null) : Exception(message, inner);
