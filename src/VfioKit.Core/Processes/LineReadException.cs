namespace VfioKit.Processes;

/// <summary>A <see cref="LineReader"/>'s peer closed or broke the connection, or sent a line over the bound; the message says which.</summary>
public sealed class LineReadException(string message, Exception? inner = null) : IOException(message, inner);
