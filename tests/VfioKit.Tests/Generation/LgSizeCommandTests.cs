using System.Text.Json;
using VfioKit.Tests.Cli;
using Xunit;

namespace VfioKit.Tests.Generation;

public sealed class LgSizeCommandTests
{
    [Theory]
    [InlineData("1920x1080", 32)]
    [InlineData("2560x1440", 64)]
    [InlineData("3840x2160", 128)]
    [InlineData("1920x1080:hdr", 64)]
    [InlineData("3840x2160:hdr", 256)]
    public void Prints_the_looking_glass_documented_sizes(string resolution, int mib)
    {
        var run = CliRun.Of("lg-size", resolution);
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith($"{mib} MiB", run.Out);

        var json = CliRun.Of("lg-size", resolution, "--json");
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal(mib, doc.RootElement.GetProperty("sizeMiB").GetInt64());
        Assert.Equal(mib * 1024L * 1024, doc.RootElement.GetProperty("sizeBytes").GetInt64());
        Assert.Equal(resolution.EndsWith(":hdr", StringComparison.Ordinal), doc.RootElement.GetProperty("hdr").GetBoolean());
    }

    [Theory]
    [InlineData("1920")]
    [InlineData("1920x")]
    [InlineData("0x1080")]
    [InlineData("1920x1080:sdr")]
    [InlineData("$(touch /tmp/x)")]
    public void Bad_resolution_is_exit_2_naming_it(string resolution)
    {
        var run = CliRun.Of("lg-size", resolution);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(resolution, run.Error);
        Assert.Equal("", run.Out);
    }
}
