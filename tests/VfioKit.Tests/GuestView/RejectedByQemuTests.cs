using VfioKit.Diagnostics;
using VfioKit.Formats.Qemu;
using VfioKit.GuestView;
using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Tests.GuestView;

/// <summary>
/// The lab's record of what QEMU 7.2 refused and accepted (tests/VfioKit.Tests/Data/guests/rejected:
/// each NAME.args and QEMU's verdict and message in results.tsv). Refused: vfiokit reports it, as bad
/// input (exit 2) or as an error problem starting with QEMU's own message. Accepted: no error.
/// </summary>
public class RejectedByQemuTests
{
    private static readonly MachineVersion LabQemu = new(7, 2);

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var line in File.ReadLines(TestPaths.DataFile("guests", "rejected", "results.tsv")).Skip(1))
        {
            var f = line.Split('\t');
            data.Add(f[0], f[1], f[2]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Vfiokit_refuses_what_qemu_refuses(string name, string verdict, string message)
    {
        var path = TestPaths.DataFile("guests", "rejected", name + ".args");
        VmTopology topology;
        try
        {
            topology = QemuCommandLine.Load(path);
        }
        catch (InputException e)
        {
            Assert.True(verdict == "refused", $"{name}: QEMU accepted it, vfiokit said: {e.Describe()}");
            Assert.Equal(path, e.Origin);
            return;
        }
        var errors = GuestViewPredictor.Predict(topology, LabQemu).Problems.Where(p => p.Severity == ProblemSeverity.Error).ToList();
        if (name == "vfio-missing-host")
        {
            // QEMU refused because this machine has no such host device: a fact of the host, not the config.
            Assert.Empty(errors);
            return;
        }
        if (verdict == "accepted")
        {
            Assert.True(errors.Count == 0, $"{name}: QEMU accepted it, vfiokit predicted: {string.Join(" | ", errors.Select(e => e.Message))}");
            return;
        }
        var qemuMessage = message[(message.IndexOf(": ", message.IndexOf(": ", StringComparison.Ordinal) + 2, StringComparison.Ordinal) + 2)..];
        Assert.True(errors.Any(p => p.Message.StartsWith(qemuMessage, StringComparison.Ordinal)),
            $"{name}: QEMU refused with '{qemuMessage}', vfiokit: {string.Join(" | ", errors.Select(e => e.Message))}");
    }
}
