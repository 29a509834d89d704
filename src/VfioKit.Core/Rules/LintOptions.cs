namespace VfioKit.Rules;

/// <summary>What the user asked for besides the file.</summary>
/// <param name="LookingGlassResolution">`--resolution WxH[:hdr]` for VK205, or null.</param>
public sealed record LintOptions(LookingGlassResolution? LookingGlassResolution = null)
{
    public static LintOptions Default { get; } = new();
}
