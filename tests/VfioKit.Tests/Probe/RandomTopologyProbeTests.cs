using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using VfioKit.Formats.Qemu;
using VfioKit.GuestView;
using VfioKit.Probe;
using Xunit.Abstractions;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Tests.Probe;

/// <summary>
/// The differential test: random topologies, many per guest, booted under real QEMU with a real kernel;
/// the prediction must equal what the guest enumerates, device by device. Twice over: the prediction for
/// the configuration as written (vfio-pci included) wherever the stand-ins are faithful, and the
/// prediction for the stand-in VM itself (every device emulated) everywhere, links included.
/// VFIOKIT_PROBE_SEED, VFIOKIT_PROBE_COUNT (topologies), VFIOKIT_PROBE_BATCH (topologies per guest) and
/// VFIOKIT_PROBE_JOBS (guests at once) explore further; CI runs the fixed defaults.
/// </summary>
public sealed class RandomTopologyProbeTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20261125;
    private const int DefaultCount = 300;
    private const int DefaultBatch = 15;

    [Fact]
    public async Task Predictions_equal_real_guests_for_hundreds_of_random_topologies()
    {
        var seed = Env("VFIOKIT_PROBE_SEED", DefaultSeed);
        var count = Env("VFIOKIT_PROBE_COUNT", DefaultCount);
        var perGuest = Env("VFIOKIT_PROBE_BATCH", DefaultBatch);
        var jobs = Env("VFIOKIT_PROBE_JOBS", 2);
        var generator = new RandomTopology(seed);
        var batches = Enumerable.Range(0, (count + perGuest - 1) / perGuest)
            .Select(i => generator.Next(i, Math.Min(perGuest, count - i * perGuest)))
            .ToList();
        Assert.True(batches.Sum(b => b.Subtrees.Count) >= Math.Min(count, 300));

        var failures = new ConcurrentBag<string>();
        var devicesCompared = 0;
        var refusedByBoth = 0;
        var refusals = new ConcurrentBag<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = jobs }, async (batch, ct) =>
        {
            var failure = await Check(batch, seed, n => Interlocked.Add(ref devicesCompared, n), why =>
            {
                Interlocked.Increment(ref refusedByBoth);
                refusals.Add($"guest {batch.Index}: {why}");
            }, ct);
            if (failure is not null) failures.Add(failure);
        });
        output.WriteLine($"seed {seed}: {count} topologies in {batches.Count} guests, {devicesCompared} devices compared, {refusedByBoth} guest(s) refused by QEMU and the prediction alike, {clock.Elapsed.TotalSeconds:0} s");
        foreach (var r in refusals.Order(StringComparer.Ordinal)) output.WriteLine(r);
        Assert.True(failures.IsEmpty, string.Join("\n\n", failures.OrderBy(f => f, StringComparer.Ordinal)));
        // A run where QEMU refuses most guests compares little: the generator must make mostly valid machines.
        Assert.True(refusedByBoth <= Math.Max(1, batches.Count / 4), $"{refusedByBoth} of {batches.Count} guests were refused: too few devices compared");
        Assert.True(devicesCompared > 0, "no device was compared");
    }

    private static async Task<string?> Check(TopologyBatch batch, int seed, Action<int> counted, Action<string> refusedByBoth, CancellationToken ct)
    {
        var topology = QemuCommandLine.FromArgv(batch.Arguments, $"seed {seed} batch {batch.Index}");
        var setup = ProbeLab.Setup with
        {
            HostClass = d => d.HostAddress is { } a && batch.HostClasses.TryGetValue(a.ToString(), out var c) ? c : null,
        };
        var result = await VmProbe.RunAsync(topology, setup, null, ct);
        var problems = new List<string>();
        if (result.Run.Outcome == GuestRunOutcome.Refused)
        {
            // Both refusing is agreement; QEMU refusing what the prediction accepts is not.
            if (!result.Prediction.HasErrors) problems.Add("QEMU refused what the prediction accepts: " + result.Run.Explain());
            else refusedByBoth(result.Run.QemuErrors.Trim());
        }
        else if (!result.Run.Completed)
            problems.Add("the guest did not complete: " + result.Run.Explain());
        else
        {
            problems.AddRange(result.Prediction.Problems.Where(p => p.Severity == ProblemSeverity.Error)
                .Select(p => $"predicted an error QEMU did not raise: {p}"));
            problems.AddRange(result.Findings!.Describe().Select(d => "as configured: " + d));
            var standInPrediction = GuestViewPredictor.Predict(result.Machine.Topology, setup.QemuVersion);
            var exact = ProbeComparison.Compare(standInPrediction, result.Report!);
            problems.AddRange(exact.Describe().Select(d => "stand-in VM: " + d));
            counted(result.Findings.Devices.Count);
        }
        if (problems.Count == 0) return null;

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"seed {seed}, guest {batch.Index} ({batch.Arguments[1]}): {problems.Count} disagreement(s)\n");
        foreach (var p in problems.Take(30)) text.Append("  ").Append(p).Append('\n');
        var subtrees = batch.Subtrees.Where(s => problems.Any(p => p.Split(' ', ',', ':').Any(word =>
            TopologyBatch.BelongsTo("id=" + word, s)))).ToList();
        foreach (var s in subtrees)
            text.Append(CultureInfo.InvariantCulture, $"  regression case (subtree {s} alone): {TopologyBatch.AsCSharp(batch.SubtreeArguments(s))}\n");
        text.Append("  whole guest: ").Append(TopologyBatch.AsCSharp(batch.Arguments)).Append('\n');
        text.Append("  host classes: ").Append(string.Join(", ", batch.HostClasses.Select(kv => $"{kv.Key}={kv.Value}"))).Append('\n');
        return text.ToString();
    }

    private static int Env(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
}
