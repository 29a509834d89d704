using System.Globalization;
using VfioKit.Verify;

namespace VfioKit.Cli.Rendering;

/// <summary>verify's text: one line per passed function, its verdict in words, notes below it, a total.</summary>
internal static class VerifyText
{
    public static void Write(TextWriter output, VerifyResult result, string? config)
    {
        output.WriteLine(config is null
            ? $"Guest report: {result.Source}; no configuration given, so every display and audio function that is not QEMU's own is checked."
            : $"Guest report: {result.Source}; configuration: {config}");
        if (result.Functions.Count == 0)
        {
            output.WriteLine(result.Configured
                ? "The configuration passes no function through (no vfio-pci device)."
                : "The guest shows no display or audio function other than QEMU's own: nothing passed through to check.");
            return;
        }
        foreach (var f in result.Functions)
        {
            var where = new List<string>();
            if (f.HostAddress is { } h) where.Add("host " + h);
            if (f.Seen is { } s) where.Add("guest " + s.Address);
            else if (f.ExpectedAddress is { } e) where.Add("expected at guest " + e);
            var mark = f.Verdict.HasLink ? "ok  " : "FAIL";
            output.WriteLine($"{mark} {f.Name}{(where.Count > 0 ? " (" + string.Join(", ", where) + ")" : "")}: {f.Message}");
            foreach (var note in f.Notes) output.WriteLine($"     note: {note}");
        }
        var linked = result.Functions.Count(f => f.Verdict.HasLink);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Functions.Count} passed function(s): {linked} with their PCIe link, {result.Functions.Count - linked} without."));
    }
}
