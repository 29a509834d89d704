using VfioKit.Rules;

namespace VfioKit.Cli.Lint;

/// <summary>Reads the host facts the --host rules need from a root directory.</summary>
internal static class HostFactsReader
{
    /// <summary>The host model (branch host) is not merged yet: until it is, --host enables only the
    /// file-system checks (VK207) and the rules that need host facts stay off.</summary>
    public static IHostFacts? Read(string root) => null;
}
