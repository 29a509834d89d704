using VfioKit.Probe;

namespace VfioKit.Cli.Rendering;

/// <summary>
/// The probe's progress on stderr: rewritten in place on a terminal, one line per stage otherwise
/// (so logs and tests see each stage once, not every function read).
/// </summary>
internal sealed class ProgressLine(TextWriter error) : IProgress<GuestProgress>
{
    private readonly bool _terminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
    private readonly Lock _gate = new();
    private GuestStage? _last;
    private int _width;

    public void Report(GuestProgress value)
    {
        lock (_gate)
        {
            var text = $"probe: {value.Describe()} ({value.Elapsed.TotalSeconds:0.0} s)";
            if (_terminal)
            {
                error.Write("\r" + text.PadRight(_width));
                _width = text.Length;
            }
            else if (_last != value.Stage)
            {
                error.WriteLine(text);
            }
            _last = value.Stage;
        }
    }

    public void Done()
    {
        lock (_gate)
            if (_terminal && _width > 0) error.Write("\r" + new string(' ', _width) + "\r");
    }
}
