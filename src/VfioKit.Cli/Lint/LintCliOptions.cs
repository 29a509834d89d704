using System.CommandLine;
using VfioKit.Diagnostics;
using VfioKit.Rules;
using VfioKit.Host;
using VfioKit.Files;

namespace VfioKit.Cli.Lint;

/// <summary>The options lint and fix share: --host ROOT and --resolution WxH[:hdr].</summary>
internal sealed class LintCliOptions
{
    public Option<string?> Host { get; } = new("--host")
    {
        Description = "The VM host's root directory (/ for this machine, or a host snapshot): enables the rules that need host facts.",
    };

    public Option<string?> Resolution { get; } = new("--resolution")
    {
        Description = "Looking Glass resolution WxH[:hdr] (e.g. 2560x1440): VK205 checks the shared memory is large enough.",
    };

    public (LintOptions Options, IHostFacts? Host, IHostFiles? Files) Read(ParseResult parse)
    {
        LookingGlassResolution? resolution = null;
        if (parse.GetValue(Resolution) is { } text)
        {
            if (!LookingGlassResolution.TryParse(text, out var r))
                throw new InputException("--resolution", $"'{text}' is not a resolution (expected WxH or WxH:hdr, e.g. 2560x1440)");
            resolution = r;
        }
        IHostFacts? host = null;
        IHostFiles? files = null;
        if (parse.GetValue(Host) is { } root)
        {
            if (!Directory.Exists(root)) throw new InputException("--host", $"'{root}' is not a directory");
            host = new HostModelFacts(HostModel.Read(new SysfsRoot(root)));
            // Paths in a configuration are the VM host's: checkable only when that host is this machine.
            if (Path.GetFullPath(root) == "/") files = new LocalFiles();
        }
        return (new LintOptions(resolution), host, files);
    }
}
