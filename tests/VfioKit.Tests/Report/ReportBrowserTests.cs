using System.Text.RegularExpressions;
using VfioKit.Report;

namespace VfioKit.Tests.Report;

/// <summary>One headless chromium shared by the browser tests (starting it is the slow part), with a blank page's screenshot to compare with.</summary>
public sealed class BrowserFixture : IDisposable
{
    public ChromiumPage Browser { get; } = new();
    public TempDirectory Dir { get; } = new("vk-report-");
    public int BlankScreenshotBytes { get; }

    public BrowserFixture()
    {
        var blank = Dir.File("blank.html");
        File.WriteAllText(blank, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"/><title>blank</title></head><body></body></html>");
        BlankScreenshotBytes = Browser.Open(blank).Screenshot.Length;
    }

    public void Dispose()
    {
        Browser.Dispose();
        Dir.Dispose();
    }
}

/// <summary>
/// Reports opened in a real browser (Debian's chromium, headless, driven over DevTools): nothing requested but
/// the file, no console or log message, nothing past the page width, a picture on the screenshot, every
/// finding's text in the page. The matrix: every lab host snapshot and every real CPU dump (2 to 96 CPUs,
/// 1 to 8 nodes, hybrid), each with a corpus configuration (good and bad topologies), half with a plan.
/// </summary>
public sealed class ReportBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    public static IEnumerable<object[]> Reports() =>
    [
        ["hosts", "q35-no-iommu", "configs/seed-pcie0.sh", false],
        ["hosts", "q35-switch-groups", "libvirt/passthrough/gpu-audio-ioh3420-index8.xml", false],
        ["hosts", "q35-gpu-iommu", "libvirt/passthrough/tuned-windows.xml", false],
        ["hosts", "smp8-dies", "configs/seed-ioh3420.sh", true],
        ["hosts", "numa2-pxb", "configs/proxmox-q35-gpu.conf", true],
        ["topologies", "x86_64-dell_e4310", "libvirt/passthrough/gpu-on-pcie0.xml", true],
        ["topologies", "20em64t-hybrid-1p6c2t+2ca4co1t", "configs/proxmox-q35-gpu.conf", true],
        ["topologies", "vmware_fpe", "configs/seed-pcie0.sh", false],
        ["topologies", "40intel64-4n10c+pci-conflicts", "libvirt/passthrough/gpu-audio-ioh3420-index8.xml", true],
        ["topologies", "64amd64-4s2n4ca2co", "libvirt/passthrough/tuned-windows.xml", false],
        ["topologies", "x86_64-64cpu", "configs/seed-ioh3420.sh", true],
        ["topologies", "x86_64-epyc_7451", "libvirt/passthrough/tuned-windows.xml", true],
    ];

    [Theory]
    [MemberData(nameof(Reports))]
    public void A_report_opens_offline_within_the_page_width_and_shows_every_finding(string kind, string host, string config, bool plan)
    {
        var report = ReportMatrix.Build(TestPaths.DataFile(kind, host), config.Split('/'), plan);
        var page = browser.Dir.File($"{host}.html");
        File.WriteAllText(page, ReportHtml.Render(report, id => $"rule page {id}"));

        var visit = browser.Browser.Open(page);
        // The file itself, at most; the control below shows a request elsewhere is seen.
        Assert.All(visit.Requests, r => Assert.Equal(new Uri(page).AbsoluteUri, r));
        Assert.Empty(visit.Messages);
        Assert.Empty(visit.OutsideWidth);
        // A white page compresses to almost nothing; a drawn one does not.
        Assert.True(visit.Screenshot.Length > 8 * browser.BlankScreenshotBytes,
            $"screenshot {visit.Screenshot.Length} bytes, blank page {browser.BlankScreenshotBytes}");
        Assert.NotEmpty(report.Findings);
        var text = Squash(visit.Text);
        Assert.All(report.Findings, f => Assert.Contains(Squash(f.Message), text));
    }

    [Fact]
    public void The_checks_see_a_page_that_reaches_out_or_overflows()
    {
        // The controls for the test above: each fault, in a small page, is caught by the check that looks for it.
        var fetching = browser.Dir.File("fetch.html");
        File.WriteAllText(fetching, "<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/x.png\"/></body></html>");
        // Port 9 (discard) refuses at once, so the page's load does not wait on it.
        Assert.Contains("http://127.0.0.1:9/x.png", browser.Browser.Open(fetching).Requests);

        var refused = browser.Dir.File("refused.html");
        File.WriteAllText(refused, "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"/></head>" +
            "<body><img src=\"http://127.0.0.1:9/y.png\"/></body></html>");
        Assert.Contains(browser.Browser.Open(refused).Messages, m => m.Contains("127.0.0.1:9", StringComparison.Ordinal));

        var wide = browser.Dir.File("wide.html");
        File.WriteAllText(wide, "<!DOCTYPE html><html><body><svg id=\"wide\" width=\"3000\" height=\"20\"></svg></body></html>");
        Assert.Contains(browser.Browser.Open(wide).OutsideWidth, e => e.Contains("svg#wide", StringComparison.OrdinalIgnoreCase));
    }

    private static string Squash(string s) => Regex.Replace(SvgText.Line(s), @"\s+", "");
}
