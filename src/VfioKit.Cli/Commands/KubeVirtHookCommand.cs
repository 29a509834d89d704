using System.CommandLine;
using VfioKit.Diagnostics;
using VfioKit.KubeVirt;

namespace VfioKit.Cli.Commands;

/// <summary>
/// `vfiokit kubevirt-hook --vmi JSON --domain XML`, also run as `onDefineDomain` (KubeVirt's sidecar-shim runs
/// that name from $PATH and takes its stdout as the domain XML). Stdout holds the domain and nothing else; notes
/// go to stderr, which the shim copies to the pod's log. Exit 0 whenever there is a domain to print, fixed or
/// not: a non-zero exit fails the hook and with it the VM's start, and a VM that starts with libvirt's own
/// placement is better than one that does not start (docs/kubevirt.md). Exit 2 only without a domain.
/// </summary>
internal static class KubeVirtHookCommand
{
    public static Command Create(CliIO io)
    {
        var vmi = new Option<string?>("--vmi") { Description = "The VirtualMachineInstance as JSON (as the sidecar-shim passes it); names the VM in the notes." };
        // Not Required: a parse error would print usage on stdout, where the shim expects a domain.
        var domain = new Option<string?>("--domain") { Description = "The libvirt domain XML virt-launcher is about to define." };
        // A pod sees the host's PCI devices in /sys; a snapshot in tests.
        var root = new Option<string>("--root") { Description = "Root of the host's /sys, for the GPU's link (a snapshot in tests).", DefaultValueFactory = _ => "/" };
        var command = new Command("kubevirt-hook",
            $"KubeVirt onDefineDomain hook (also run as '{ShimInvocation.HookName}'): print the domain with GPU functions gathered behind one root port whose link is the host's; nothing else changes.")
        { vmi, domain, root };
        // Flags a later sidecar-shim may add must not fail the hook (and the VM's start with it).
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            var xml = parse.GetValue(domain) ?? "";
            foreach (var token in parse.UnmatchedTokens) io.Error.WriteLine($"vfiokit kubevirt-hook: ignored argument '{VisibleText.Of(token)}'");
            if (string.IsNullOrWhiteSpace(xml))
            {
                io.Error.WriteLine("vfiokit kubevirt-hook: no --domain given (or it is empty): no domain to print");
                return ExitCodes.BadInput;
            }
            KubeVirtHookResult result;
            try
            {
                result = KubeVirtHook.OnDefineDomain(xml, parse.GetValue(vmi), parse.GetValue(root)!);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A defect of ours must not stop the VM: the domain goes back as KubeVirt wrote it.
                result = new KubeVirtHookResult(xml, [$"internal error, domain passed on unchanged: {e.GetType().Name}: {e.Message}"]);
            }
            foreach (var note in result.Notes) io.Error.WriteLine($"vfiokit kubevirt-hook: {VisibleText.Of(note)}");
            io.Out.Write(result.Domain);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The arguments as a verb: run under the name <see cref="ShimInvocation.HookName"/>, `kubevirt-hook` goes in front.</summary>
    public static string[] AsInvoked(string[] args) => ShimInvocation.IsThisProcess() ? ["kubevirt-hook", .. args] : args;
}
