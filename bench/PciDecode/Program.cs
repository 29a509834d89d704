using System.Diagnostics;
using System.Globalization;
using VfioKit.Pci;

// Decodes every config space of the given lspci dumps over and over (parse + both capability walks +
// Express capability + Resizable BARs) and prints the median time per config space of several rounds.
var files = args.Where(File.Exists).ToArray();
if (files.Length == 0)
{
    Console.Error.WriteLine("usage: PciDecode DUMP...");
    return 2;
}
var texts = files.Select(File.ReadAllText).ToArray();
var configs = texts.SelectMany(t => LspciDump.Parse(t).Entries).Select(e => e.Config.Bytes.ToArray()).ToArray();

long Sink(byte[] bytes)
{
    var c = ConfigSpace.Parse(bytes);
    return c.Capabilities.Length + c.ExtendedCapabilities.Length + (c.Express?.LinkCapability?.Width ?? 0) + c.ResizableBars.Length;
}

long sink = 0;
for (var i = 0; i < 2000; i++) foreach (var b in configs) sink += Sink(b); // warm-up (JIT tiers)

var perConfig = new List<double>();
var perDump = new List<double>();
for (var round = 0; round < 7; round++)
{
    const int Reps = 2000;
    var sw = Stopwatch.StartNew();
    for (var i = 0; i < Reps; i++) foreach (var b in configs) sink += Sink(b);
    perConfig.Add(sw.Elapsed.TotalMicroseconds / (Reps * (double)configs.Length));

    sw.Restart();
    for (var i = 0; i < 50; i++) foreach (var t in texts) sink += LspciDump.Parse(t).Entries.Length;
    perDump.Add(sw.Elapsed.TotalMicroseconds / (50 * (double)texts.Length));
}
double Median(List<double> v) { v.Sort(); return v[v.Count / 2]; }
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"decode: {Median(perConfig):0.00} us per config space ({configs.Length} config spaces from {files.Length} dumps); " +
    $"LspciDump.Parse: {Median(perDump):0} us per dump file; (checksum {sink % 10})"));
return 0;
