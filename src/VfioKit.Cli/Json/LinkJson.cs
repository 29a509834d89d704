namespace VfioKit.Cli.Json;

/// <summary>A PCI Express link in every verb's JSON: {"speedGTs": 8.0, "width": 16}.</summary>
public sealed record LinkJson(double SpeedGTs, int Width);
