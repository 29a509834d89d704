using CsCheck;
using VfioKit.Diagnostics;
using VfioKit.Formats.Qemu;
using VfioKit.GuestView;
using VfioKit.Vm;

namespace VfioKit.Tests.Formats.Qemu;

/// <summary>Properties over random and mutated command lines: never a crash, and writing then reading changes nothing.</summary>
public class QemuCommandLinePropertyTests
{
    private static readonly Gen<string[]> CommandLines = Gen.Int.Select(seed => RandomCommandLine.Make(new Random(seed)));

    [Fact]
    public void Writing_then_reading_gives_the_same_topology()
    {
        var roundTripped = 0;
        CommandLines.Sample(argv =>
        {
            VmTopology t;
            try { t = QemuCommandLine.FromArgv(argv); }
            catch (InputException) { return; }
            var again = QemuCommandLine.FromArgv(QemuCommandLine.ToArgv(t));
            Assert.Equal(t, again);
            var script = QemuCommandLine.Parse(QemuCommandLine.ToScript(t), "written.sh");
            Assert.Equal(t, script);
            Interlocked.Increment(ref roundTripped);
        }, iter: 300);
        // Refused command lines check nothing: most of the samples must be read and round-tripped.
        Assert.True(roundTripped >= 150, $"only {roundTripped} of 300 random command lines were readable");
    }

    [Fact]
    public void Random_command_lines_are_read_and_predicted_without_crashing()
    {
        CommandLines.Sample(argv =>
        {
            try
            {
                var view = GuestViewPredictor.Predict(QemuCommandLine.FromArgv(argv));
                Assert.Equal(view.Topology.Devices.Count, view.Devices.Count);
            }
            catch (InputException) { }
        }, iter: 300);
    }

    private static readonly string[] Seeds =
    [
        File.ReadAllText(TestPaths.DataFile("qemu", "seed-ioh3420.txt")),
        File.ReadAllText(TestPaths.DataFile("qemu", "seed-libvirt.args")),
        File.ReadAllText(TestPaths.DataFile("guests", "switch", "qemu.args")),
    ];

    private static readonly Gen<string> Mutated =
        Gen.Select(Gen.Int[0, Seeds.Length - 1], Gen.Int[1, 6].SelectMany(n => Gen.Select(Gen.Int[0, 2], Gen.Int[0, 100_000], Gen.Char["'\"\\${},=:.#;\n -0x1fabc"]).Array[n]))
            .Select((i, edits) =>
            {
                var text = new System.Text.StringBuilder(Seeds[i]);
                foreach (var (op, at, c) in edits)
                {
                    var pos = text.Length == 0 ? 0 : at % text.Length;
                    if (op == 0) text.Insert(pos, c);
                    else if (op == 1 && text.Length > 0) text.Remove(pos, 1);
                    else if (text.Length > 0) text[pos] = c;
                }
                return text.ToString();
            });

    [Fact]
    public void Mutated_scripts_give_a_prediction_or_an_input_error_never_a_crash()
    {
        Mutated.Sample(text =>
        {
            try
            {
                GuestViewPredictor.Predict(QemuCommandLine.Parse(text, "mutated.sh"));
            }
            catch (InputException e)
            {
                Assert.Equal("mutated.sh", e.Origin);
            }
        }, iter: 1000);
    }
}
