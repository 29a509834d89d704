using Spectre.Console;

namespace VfioKit.Cli;

/// <summary>Where a verb writes: plain writers for JSON and errors, a Spectre console for tables and trees.</summary>
/// <param name="terminal">Whether <paramref name="output"/> is a real terminal; null: when it is the process's own,
/// unredirected Console.Out.</param>
public sealed class CliIO(TextWriter output, TextWriter error, bool? terminal = null)
{
    // Built on first use: --json and the verbs that print no tables never pay for Spectre's console set-up.
    private readonly Lazy<IAnsiConsole> _console = new(() => CreateConsole(output,
        terminal ?? (ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected)));

    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;

    /// <summary>A console over <see cref="Out"/>; colour only when writing to a real terminal.</summary>
    public IAnsiConsole Console => _console.Value;

    /// <summary>Width of tables written to a pipe or file: $COLUMNS when set, else wide enough that a PCI
    /// address or a device name is not wrapped (Spectre's default for a non-terminal is 80).</summary>
    private const int RedirectedWidth = 160;

    private static IAnsiConsole CreateConsole(TextWriter output, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!terminal)
            console.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0
                ? columns
                : RedirectedWidth;
        return console;
    }
}
