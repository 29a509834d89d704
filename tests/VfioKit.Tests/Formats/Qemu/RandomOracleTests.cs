using VfioKit.Formats.Qemu;
using VfioKit.GuestView;
using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Tests.Formats.Qemu;

/// <summary>
/// Random command lines (fixed seeds, so a failure reproduces) given to vfiokit and to a stopped real
/// qemu-system-x86_64: QEMU refuses exactly when vfiokit predicts an error (and vfiokit names QEMU's
/// first complaint), and otherwise every PCI device is placed as QEMU placed it.
/// </summary>
public class RandomOracleTests
{
    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 30; seed++) data.Add(seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_command_line_matches_qemu(int seed)
    {
        var args = RandomCommandLine.Make(new Random(seed), withPassthrough: false);
        var line = string.Join(' ', args);
        var topology = QemuCommandLine.FromArgv(args);
        var errors = GuestViewPredictor.Predict(topology, new MachineVersion(7, 2)).Problems.Where(p => p.Severity == ProblemSeverity.Error).ToList();
        var qemu = QemuTree.Run(args);
        if (qemu.Error is { } error)
        {
            var message = error[(error.IndexOf(": ", error.IndexOf(": ", StringComparison.Ordinal) + 2, StringComparison.Ordinal) + 2)..].Trim();
            Assert.True(errors.Any(p => p.Message.StartsWith(message, StringComparison.Ordinal)),
                $"{line}\nQEMU refused: '{message}'\nvfiokit: {string.Join(" | ", errors.Select(e => e.Message))}");
            return;
        }
        Assert.True(errors.Count == 0, $"{line}\nQEMU started; vfiokit predicted: {string.Join(" | ", errors.Select(e => e.Message))}");
        Assert.Equal(qemu.Devices, PlacementOracleTests.Describe(topology));
    }
}
