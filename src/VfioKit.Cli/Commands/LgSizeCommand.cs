using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using VfioKit.Cli.Json;
using VfioKit.Diagnostics;
using VfioKit.Rules;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit lg-size WxH[:hdr]`: the Looking Glass shared memory a resolution needs (VK205's formula).</summary>
internal static class LgSizeCommand
{
    public static Command Create(CliIO io)
    {
        var resolution = new Argument<string>("resolution") { Description = "Guest resolution, WxH or WxH:hdr (e.g. 2560x1440, 3840x2160:hdr)." };
        var json = new Option<bool>("--json") { Description = "Write the size as JSON (docs/json/new.md)." };
        var command = new Command("lg-size", "Print the Looking Glass shared memory size for a resolution.") { resolution, json };
        command.SetAction(parse =>
        {
            var text = parse.GetValue(resolution)!;
            if (!LookingGlassResolution.TryParse(text, out var r))
                throw new InputException("resolution", $"'{text}' is not a resolution (WxH or WxH:hdr, e.g. 2560x1440 or 3840x2160:hdr)");
            var mib = r.RequiredBytes / (1024 * 1024);
            if (parse.GetValue(json))
                io.Out.WriteLine(JsonSerializer.Serialize(new LgSizeJson(r.Width, r.Height, r.Hdr, mib, r.RequiredBytes), NewJsonContext.Default.LgSizeJson));
            else
                io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{mib} MiB  (Looking Glass at {r.Width}x{r.Height}{(r.Hdr ? " HDR" : "")}: {r.Width}x{r.Height}x{(r.Hdr ? 8 : 4)} bytes x 2 frames + 10 MiB, rounded up to a power of two)"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
