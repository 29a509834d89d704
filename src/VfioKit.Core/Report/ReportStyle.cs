namespace VfioKit.Report;

/// <summary>
/// The picture's stylesheet and fill patterns. Every distinction is drawn twice, as colour and as shape
/// (fill pattern, dash, stroke width or a word), so a greyscale print keeps it. No character here needs
/// escaping in HTML's raw-text style element.
/// </summary>
internal static class ReportStyle
{
    public const string Css = """
        svg { background: #fff }
        text { font-family: sans-serif; font-size: 12px; fill: #111 }
        .h1 { font-size: 18px; font-weight: bold }
        .h2 { font-size: 15px; font-weight: bold }
        .b { font-weight: bold }
        .s { font-size: 10px }
        .t { font-size: 9px }
        .dim { fill: #666 }
        .halo { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round }
        .light { fill: #fff }
        .box { fill: #fff; stroke: #777 }
        .node { fill: #f3f3f3; stroke: #222; stroke-width: 1.5 }
        .l3 { fill: #fbfbfb; stroke: #888; stroke-dasharray: 4 2 }
        .core { fill: none; stroke: #aaa }
        .ecore { fill: none; stroke: #aaa; stroke-dasharray: 2 2 }
        .cpu { fill: #fff; stroke: #666 }
        .off { fill: #ddd; stroke: #999 }
        .vcpu { fill: #1d4f7a; stroke: #0c2740 }
        .emu { fill: url(#hatch); stroke: #444 }
        .io { fill: url(#dots); stroke: #444 }
        .iso { fill: #000 }
        .gpu { fill: #fff; stroke: #222; stroke-width: 2 }
        .passed { fill: #eef4fa; stroke: #1d4f7a; stroke-width: 2 }
        .implicit { fill: #f6f6f6; stroke: #bbb }
        .bad { stroke: #b00020; stroke-width: 3.5 }
        .warn { stroke: #a85400; stroke-width: 2.5; stroke-dasharray: 6 2 }
        .pin { stroke: #1d4f7a; stroke-width: 1.2; fill: none; opacity: 0.5 }
        .pin-emu { stroke: #444; stroke-width: 1.2; fill: none; opacity: 0.5; stroke-dasharray: 4 3 }
        .badge-error { fill: #b00020; stroke: #000 }
        .badge-warning { fill: #fff; stroke: #a85400; stroke-width: 2 }
        .badge-info { fill: #fff; stroke: #555; stroke-dasharray: 2 1 }
        .pass { fill: #1b6e2a }
        .fail { fill: #b00020; font-weight: bold }
        .warnt { fill: #a85400; font-weight: bold }
        a text { text-decoration: underline }
        """;
}
