using System.CommandLine;
using VfioKit.Diagnostics;
using VfioKit.Formats;

namespace VfioKit.Cli.Lint;

/// <summary>`--connect URI` and `--live` on a verb that reads one VM (guest-view, probe): with --connect its
/// argument is a libvirt domain name or UUID, read from libvirt as `lint --connect` reads it; without, a file.</summary>
internal sealed class DomainSource
{
    public Option<string?> Connect { get; } = new("--connect")
    {
        Description = "Read the VM from libvirt at this URI: the argument is then a domain name or UUID ('' for libvirt's default, LIBVIRT_DEFAULT_URI).",
    };

    public Option<bool> Live { get; } = new("--live") { Description = "With --connect: a running domain's live XML instead of its persistent definition." };

    public void AddTo(Command command)
    {
        command.Options.Add(Connect);
        command.Options.Add(Live);
    }

    /// <summary>The VM's name as shown (the file, or URI/DOMAIN) and its text.</summary>
    public (string Path, string Text) Read(ParseResult parse, string argument, TextReader stdin)
    {
        if (parse.GetResult(Connect) is null)
        {
            if (parse.GetValue(Live)) throw new InputException("--live", "reads a domain from libvirt: give --connect URI");
            return (argument, ConfigInput.Read(argument, stdin));
        }
        var document = LibvirtDomains.Read(parse.GetValue(Connect) ?? "", [argument], all: false, parse.GetValue(Live)).Single();
        return (document.Path, document.Text);
    }
}
