using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using VfioKit.Cli.Json;
using VfioKit.Cli.Lint;
using VfioKit.Cli.Rendering;
using VfioKit.Diagnostics;
using VfioKit.Formats;
using VfioKit.Vm;
using VfioKit.Probe;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit probe FILE`: boot a throwaway guest with the VM's topology (stand-ins for vfio-pci) and hold the prediction to it.</summary>
internal static class ProbeCommand
{
    public static Command Create(CliIO io)
    {
        var file = new Argument<string>("file") { Description = "A QEMU launch script, a file of QEMU arguments, a libvirt .args file, a libvirt domain XML or a Proxmox VM config; - for stdin. With --connect: a libvirt domain name or UUID." };
        var kernel = new Option<string?>("--kernel") { Description = "The guest kernel (a bzImage). Default: $VFIOKIT_LAB_KERNEL, the newest readable /boot/vmlinuz-*, then .cache/lab/vmlinuz." };
        var json = new Option<bool>("--json") { Description = "Write JSON (schema: docs/json/probe.md)." };
        var timeout = new Option<double>("--timeout") { Description = "Stop the guest after this many seconds.", DefaultValueFactory = _ => 60 };
        var accel = new Option<AcceleratorRequest>("--accel")
        {
            Description = "The accelerator: auto (KVM where /dev/kvm works, else TCG), kvm, or tcg. The guest's view is the same; only the boot time differs.",
            DefaultValueFactory = _ => AcceleratorRequest.Auto,
        };
        // Before --accel: --kvm forced KVM (TCG was the default). Kept so scripts that pass it still work.
        var kvm = new Option<bool>("--kvm") { Description = "The same as --accel kvm.", Hidden = true };
        var hostRoot = new Option<string>("--host-root") { Description = "Where the host's /sys is, to read the class of passed-through functions.", DefaultValueFactory = _ => "/" };
        var command = new Command("probe", "Boot a throwaway guest with the VM's PCI topology and show what it saw beside the prediction.");
        command.Arguments.Add(file);
        command.Options.Add(kernel);
        command.Options.Add(json);
        command.Options.Add(timeout);
        command.Options.Add(accel);
        command.Options.Add(kvm);
        command.Options.Add(hostRoot);
        var domain = new DomainSource();
        domain.AddTo(command);
        command.SetAction(parse =>
        {
            var seconds = parse.GetValue(timeout);
            if (seconds is <= 0 or > 3600 || double.IsNaN(seconds))
                throw new InputException("--timeout", string.Create(CultureInfo.InvariantCulture, $"{seconds} is not a time-out in seconds (1 to 3600)"));
            var (path, text) = domain.Read(parse, parse.GetValue(file)!, Console.In);
            var config = VmConfigFile.Parse(path, text);
            var topology = config.Topology;

            ProbeSetup setup;
            try
            {
                setup = ProbeSetup.Prepare(Search(parse.GetValue(kernel)), CacheDirectory()) with
                {
                    Timeout = TimeSpan.FromSeconds(seconds),
                    Accelerator = Accelerator.Choose(parse.GetValue(kvm) ? AcceleratorRequest.Kvm : parse.GetValue(accel)),
                    HostClass = HostClasses.FromSysfs(parse.GetValue(hostRoot)!),
                };
            }
            catch (MissingToolException e)
            {
                io.Error.WriteLine($"vfiokit: {e.Describe()}");
                return ExitCodes.Environment;
            }

            var progress = new ProgressLine(io.Error);
            var result = VmProbe.RunAsync(topology, setup, progress, pinAddresses: config.Format == ConfigFormat.Libvirt).GetAwaiter().GetResult();
            progress.Done();
            var booted = setup.Kernel.For(topology.Machine);
            if (parse.GetValue(json))
                io.Out.WriteLine(JsonSerializer.Serialize(ProbeJsonMapping.From(path, result, booted), ProbeJsonContext.Default.ProbeJson));
            else
                ProbeTable.Render(io, path, result, booted);
            if (!result.Run.Completed && parse.GetValue(json)) io.Error.WriteLine("vfiokit: " + result.Run.Explain());
            // The guest booted what was read; what the script leaves to run time was not in it.
            if (topology.RunTime.Count > 0) io.Error.WriteLine($"{path}:{topology.RunTime[0].Line}: info: {RunTimeValue.Summary(topology.RunTime)}");

            return result.Run.Outcome switch
            {
                GuestRunOutcome.Completed => result.Agrees ? ExitCodes.Ok : ExitCodes.Findings,
                // QEMU refusing the configuration is a finding about it; its own words were shown.
                GuestRunOutcome.Refused => ExitCodes.Findings,
                _ => ExitCodes.Environment,
            };
        });
        return command;
    }

    private static ToolSearch Search(string? kernel)
    {
        var fallbacks = new List<string>
        {
            // The launcher runs .cache/aot/vfiokit; scripts/install-deps.sh puts the lab kernel in .cache/lab.
            Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "lab", "vmlinuz")),
            Path.GetFullPath(Path.Combine(".cache", "lab", "vmlinuz")),
        };
        return new ToolSearch(kernel, Environment.GetEnvironmentVariable(ToolSearch.KernelVariable),
            Environment.GetEnvironmentVariable("PATH"), FallbackKernels: fallbacks);
    }

    /// <summary>$XDG_CACHE_HOME/vfiokit, else ~/.cache/vfiokit: where the unpacked kernel is kept.</summary>
    private static string CacheDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var root = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(string.IsNullOrEmpty(home) ? Path.GetTempPath() : home, ".cache");
        return Path.Combine(root, "vfiokit");
    }
}
