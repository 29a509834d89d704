using System.Diagnostics;

namespace VfioKit.Tests.Hostile;

/// <summary>
/// One format's fuzz run: inputs drawn from a seeded generator (input i of seed s is the same on every
/// machine), stopped by a count or a time budget, whichever comes first, each input under a deadline and an
/// allocation bound. Failures are counted, not thrown, so the bench can report them; the test asserts none.
/// CsCheck's Sample is not used: on a failure it shrinks until its time is up, and a hanging input makes
/// each shrink step cost the whole deadline, which is how the first version of these tests never finished.
/// </summary>
internal sealed class FuzzCampaign(string format, int seed)
{
    /// <summary>An input slower than this is a hang (the issue's bound for the bench).</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    /// <summary>Bytes one input may allocate: the issue's defects ran to 1.6 GB and 8.4 GB; real inputs use a few MB.</summary>
    public const long MaxAllocation = 256L << 20;

    private readonly List<string> _failures = [];

    public string Format { get; } = format;
    public int Seed { get; } = seed;
    public int Inputs { get; private set; }
    public int Crashes { get; private set; }
    public int Hangs { get; private set; }
    private int _declined;

    /// <summary>Inputs where fix declined one of its own fixes (its result would not read back or undid another):
    /// no harm to the user, but a defect of that fix, so the bench reports them.</summary>
    public int Declined => _declined;

    public void CountDeclined() => Interlocked.Increment(ref _declined);
    public TimeSpan Slowest { get; private set; }
    public long MostAllocated { get; private set; }
    public IReadOnlyList<string> Failures => _failures;

    /// <summary>Count and seconds from VFIOKIT_FUZZ_COUNT and VFIOKIT_FUZZ_SECONDS (bench/fuzz.sh), else the CI defaults.</summary>
    public static (int Count, double Seconds, int Seed) Settings(int count, double seconds) =>
        (Variable("VFIOKIT_FUZZ_COUNT") is > 0 and var c ? c : Variable("VFIOKIT_FUZZ_FIRST") > 0 ? 1 : count,
         Variable("VFIOKIT_FUZZ_SECONDS") is > 0 and var s ? s : seconds,
         Variable("VFIOKIT_FUZZ_SEED") is > 0 and var seed ? seed : 11);

    private static int Variable(string name) => int.TryParse(Environment.GetEnvironmentVariable(name), out var v) ? v : 0;

    /// <summary>Runs <paramref name="check"/> on inputs 0, 1, ... until <paramref name="count"/> or <paramref name="seconds"/>.
    /// <paramref name="check"/> gets a generator private to the input and returns the input's description.</summary>
    public FuzzCampaign Run(int count, double seconds, Func<Random, Action<string>, string> check)
    {
        var clock = Stopwatch.StartNew();
        // VFIOKIT_FUZZ_FIRST=N starts at input N: with VFIOKIT_FUZZ_DUMP, a failure is replayed alone.
        var first = Variable("VFIOKIT_FUZZ_FIRST");
        for (var i = first; i < first + count && clock.Elapsed.TotalSeconds < seconds; i++)
        {
            // Each input has its own generator from (seed, i): input i is reproducible on its own.
            var random = new Random(unchecked(Seed * 1_000_003 + i) & int.MaxValue);
            var described = $"{Format} seed {Seed} input {i}";
            var watch = Stopwatch.StartNew();
            long allocated = 0;
            var task = Task.Factory.StartNew(() =>
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                try { return check(random, d => described = $"{Format} seed {Seed} input {i}: {d}"); }
                finally { allocated = GC.GetAllocatedBytesForCurrentThread() - before; }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            Inputs++;
            if (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(Deadline))
            {
                Hangs++;
                _failures.Add($"hang: over {Deadline.TotalSeconds} s on {described}");
                break; // the thread still runs: stop here rather than measure the rest on a busy core
            }
            Slowest = watch.Elapsed > Slowest ? watch.Elapsed : Slowest;
            MostAllocated = Math.Max(MostAllocated, allocated);
            if (task.Exception?.InnerException is { } e)
            {
                Crashes++;
                if (_failures.Count < 20) _failures.Add($"{described}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
            else if (allocated > MaxAllocation)
            {
                Crashes++;
                if (_failures.Count < 20) _failures.Add($"{described}: allocated {allocated >> 20} MiB (bound {MaxAllocation >> 20} MiB)");
            }
        }
        return this;
    }

    /// <summary>Writes a mutated input where VFIOKIT_FUZZ_DUMP says, to replay it with the CLI.</summary>
    public static void Dump(string text)
    {
        if (Environment.GetEnvironmentVariable("VFIOKIT_FUZZ_DUMP") is { Length: > 0 } path) File.WriteAllText(path, text);
    }

    /// <summary>Peak resident set of this process (VmHWM), the number the bench reports.</summary>
    public static long PeakRssKib()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        return 0;
    }

    /// <summary>Appends this run to VFIOKIT_FUZZ_REPORT (tab separated) and fails the test on any crash or hang.</summary>
    public void Assert()
    {
        if (Environment.GetEnvironmentVariable("VFIOKIT_FUZZ_REPORT") is { Length: > 0 } report)
            File.AppendAllText(report, $"{Format}\t{Seed}\t{Inputs}\t{Crashes}\t{Hangs}\t{Declined}\t{Slowest.TotalMilliseconds:F0}\t{MostAllocated >> 20}\t{PeakRssKib() / 1024}\n");
        Xunit.Assert.True(Inputs > 0, $"{Format}: no input ran");
        Xunit.Assert.True(Failures.Count == 0,
            $"{Format}: {Crashes} crashes, {Hangs} hangs in {Inputs} inputs:\n{string.Join("\n\n", Failures.Take(5))}");
    }
}
