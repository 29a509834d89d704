using System.Net;
using System.Text.RegularExpressions;
using VfioKit.Report;

namespace VfioKit.Tests.Report;

/// <summary>Reports opened in a real browser (Debian's chromium, headless): no console error, nothing fetched, a picture on the screenshot, every finding in the page.</summary>
public sealed class ReportBrowserTests
{
    public static IEnumerable<object[]> Reports() =>
    [
        ["hosts", "q35-gpu-iommu", "configs/seed-pcie0.sh", false],
        ["hosts", "q35-switch-groups", "libvirt/passthrough/gpu-audio-ioh3420-index8.xml", false],
        ["topologies", "x86_64-epyc_7451", "libvirt/passthrough/tuned-windows.xml", true],
        ["topologies", "20em64t-hybrid-1p6c2t+2ca4co1t", "configs/proxmox-q35-gpu.conf", true],
    ];

    [Theory]
    [MemberData(nameof(Reports))]
    public void A_report_opens_without_console_errors_and_draws_a_picture(string kind, string host, string config, bool plan)
    {
        using var dir = new TempDirectory("vk-report-");
        var report = ReportMatrix.Build(TestPaths.DataFile(kind, host), config.Split('/'), plan);
        var page = dir.File("report.html");
        File.WriteAllText(page, ReportHtml.Render(report, id => $"rule page {id}"));
        var blank = dir.File("blank.html");
        File.WriteAllText(blank, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"/><title>blank</title></head><body></body></html>");

        var shot = dir.File("report.png");
        var run = HeadlessChromium.Run(page, $"--screenshot={shot}");
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.ConsoleLines);
        var blankShot = dir.File("blank.png");
        HeadlessChromium.Run(blank, $"--screenshot={blankShot}");
        // A white page compresses to almost nothing; a drawn one does not.
        Assert.True(new FileInfo(shot).Length > 8 * new FileInfo(blankShot).Length,
            $"screenshot {new FileInfo(shot).Length} bytes, blank page {new FileInfo(blankShot).Length}");

        var dom = HeadlessChromium.Run(page, "--dump-dom");
        var text = Squash(WebUtility.HtmlDecode(Regex.Replace(dom.Stdout, "<[^>]*>", " ")));
        Assert.All(report.Findings, f => Assert.Contains(Squash(f.Message), text));
    }

    [Fact]
    public void The_console_check_sees_a_page_that_reaches_out()
    {
        // The control for the test above: a page that tries to load a remote image under the report's policy is caught.
        using var dir = new TempDirectory("vk-report-");
        var page = dir.File("bad.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"/></head>" +
            "<body><img src=\"http://192.0.2.1/x.png\"/></body></html>");
        var run = HeadlessChromium.Run(page, $"--screenshot={dir.File("bad.png")}", 400, 300);
        Assert.Contains(run.ConsoleLines, l => l.Contains("192.0.2.1", StringComparison.Ordinal));
    }

    private static string Squash(string s) => Regex.Replace(SvgText.Line(s), @"\s+", "");
}
