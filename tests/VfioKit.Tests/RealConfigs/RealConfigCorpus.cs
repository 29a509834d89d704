namespace VfioKit.Tests.RealConfigs;

/// <summary>The real-configuration corpus under Data/RealConfigs: the files, where each came from
/// (SOURCES.tsv) and the verdicts on what vfiokit makes of them (EXPECTED.tsv).</summary>
public static class RealConfigCorpus
{
    public static string Dir => TestPaths.DataFile("RealConfigs");

    /// <summary>The configurations: every file but the two tables.</summary>
    public static IReadOnlyList<string> Files { get; } =
        [.. Directory.GetFiles(Dir).Select(Path.GetFileName).OfType<string>()
            .Where(n => n is not ("SOURCES.tsv" or "EXPECTED.tsv")).Order(StringComparer.Ordinal)];

    /// <summary>SOURCES.tsv rows: name, repository, path, commit, licence.</summary>
    public static IReadOnlyList<string[]> Sources { get; } = Rows("SOURCES.tsv").Select(r => r.Fields).ToList();

    public static IReadOnlyList<Judgement> Judgements { get; } = Rows("EXPECTED.tsv")
        .Select(r => new Judgement(r.Number, r.Fields[0], r.Fields[1], int.Parse(r.Fields[2]), r.Fields[3], r.Fields[4], r.Fields[5]))
        .ToList();

    public static IEnumerable<Judgement> Of(string file) => Judgements.Where(j => j.File == file);

    /// <summary>Whether the file is the kind `fix` must turn into a runnable script or argument file.</summary>
    public static bool IsQemu(string file) => file.StartsWith("qemu-", StringComparison.Ordinal);

    private static IEnumerable<(int Number, string[] Fields)> Rows(string table) =>
        File.ReadAllLines(Path.Combine(Dir, table))
            .Select((line, i) => (Number: i + 1, Line: line))
            .Where(r => r.Line.Length > 0 && !r.Line.StartsWith('#'))
            .Select(r => (r.Number, r.Line.Split('\t')));
}
