using VfioKit.Formats;
using VfioKit.GuestView;
using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Rules;

/// <summary>Reads a configuration into the models once and runs every applicable rule over them.</summary>
public static class Linter
{
    public static LintReport Lint(ConfigDocument document, LintOptions? options = null, IHostFacts? host = null, IReadOnlyList<IRule>? rules = null, IHostFiles? files = null)
    {
        var parsed = ConfigReaders.Read(document, host);
        var view = GuestViewPredictor.Predict(parsed.Topology, host: host is null ? null : d => HostLink(host, d));
        var context = new LintContext(document, view.Topology, parsed.Tuning, parsed.Repairer, options ?? LintOptions.Default)
        {
            View = view, Host = host, Files = files, UnknownBuses = parsed.UnknownBuses,
        };
        var findings = new List<Finding>();
        foreach (var rule in rules ?? RuleCatalog.All)
        {
            var d = rule.Descriptor;
            if (!d.Formats.Includes(document.Format) || (d.NeedsHost && host is null)) continue;
            findings.AddRange(rule.Check(context));
        }
        var sorted = findings
            .OrderBy(f => f.Location.Line)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ThenBy(f => f.Message, StringComparer.Ordinal)
            .ToList();
        return new LintReport(document, sorted);
    }

    /// <summary>The host link of a passed-through function, for the predictor (the type: an Endpoint, as GPUs are).</summary>
    private static HostFunction? HostLink(IHostFacts host, VmDevice device) =>
        device.HostAddress is { } a && host.Function(a) is { } f && f.MaxLinkSpeed.IsKnown
            ? new HostFunction(PcieDeviceType.Endpoint, new PciLink(f.MaxLinkSpeed, f.MaxLinkWidth))
            : null;

    /// <summary>Reads text of an unknown format: detects it, then lints.</summary>
    public static LintReport Lint(string path, string text, LintOptions? options = null, IHostFacts? host = null, IHostFiles? files = null) =>
        Lint(new ConfigDocument(path, text, ConfigFormatDetector.Detect(path, text)), options, host, files: files);
}
