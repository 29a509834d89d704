using System.CommandLine;
using System.Text;
using VfioKit.Diagnostics;
using VfioKit.Files;
using VfioKit.Generation;
using VfioKit.Host;
using VfioKit.Libvirt;
using VfioKit.Planning;
using VfioKit.Rules;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit new`: a complete passthrough VM for this host as libvirt XML, a QEMU launch script or a Proxmox config.</summary>
internal static class NewCommand
{
    public static Command Create(CliIO io)
    {
        var gpus = new Option<string[]>("--gpu") { Description = "GPU to pass: a slot (0000:0b:00, all its functions) or one function; repeatable.", Required = true };
        var devices = new Option<string[]>("--device") { Description = "Another host function to pass (0000:0c:00.0), behind its own root port; repeatable." };
        var memory = new Option<string>("--memory") { Description = "Guest memory, e.g. 16G.", Required = true };
        var vcpus = new Option<int>("--vcpus") { Description = "Number of vCPUs.", Required = true };
        var name = new Option<string>("--name") { Description = "VM name.", DefaultValueFactory = _ => "vfio-vm" };
        var os = new Option<string>("--os") { Description = "Guest OS: windows or linux.", DefaultValueFactory = _ => "windows" };
        var lg = new Option<string?>("--looking-glass") { Description = "Add Looking Glass shared memory for this resolution: WxH or WxH:hdr." };
        var hugepages = new Option<string>("--hugepages") { Description = "Back memory with 1G or 2M hugepages, or off; default: 1G when reserved, else 2M.", DefaultValueFactory = _ => "auto" };
        var disk = new Option<string?>("--disk") { Description = "Boot disk: an image file or block device." };
        var diskSize = new Option<string?>("--disk-size") { Description = "Create a qcow2 boot disk of this size (e.g. 64G)." };
        var firmware = new Option<string>("--firmware") { Description = "ovmf (UEFI) or seabios.", DefaultValueFactory = _ => "ovmf" };
        var root = new Option<string>("--root", "--host") { Description = "Root of the host's /sys and /proc (a snapshot).", DefaultValueFactory = _ => "/" };
        var connect = HostConnectOption.Create();
        var format = new Option<string>("--format") { Description = "libvirt, qemu or proxmox.", Required = true };
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output." };
        var force = new Option<bool>("--force") { Description = "Write the VM even for a non-viable IOMMU group or the boot GPU; replace an existing --output file (the previous one kept as FILE.bak or FILE.bak.N)." };
        var define = new Option<bool>("--define") { Description = "With --connect and --format libvirt: define the VM on that host (libvirt's schema check, read back and compared; undefined again if that fails). Never replaces an existing domain." };
        var hideKvm = new Option<bool>("--hide-kvm") { Description = "Hide KVM and spoof the Hyper-V vendor id (only for NVIDIA drivers older than R465)." };

        var command = new Command("new", "Generate a complete GPU passthrough VM for this host.")
        {
            gpus, devices, memory, vcpus, name, os, lg, hugepages, disk, diskSize, firmware, root, connect, define, format, output, force, hideKvm,
        };
        command.SetAction(parse =>
        {
            var fmt = (parse.GetValue(format) ?? "").Trim().ToLowerInvariant() switch
            {
                "libvirt" => VmFormat.Libvirt,
                "qemu" => VmFormat.Qemu,
                "proxmox" => VmFormat.Proxmox,
                var other => throw new InputException("--format", $"'{other}' is not libvirt, qemu or proxmox"),
            };
            var rootDir = parse.GetValue(root)!;
            var remote = HostConnectOption.Given(parse, connect, root);
            var defining = parse.GetValue(define);
            if (defining && !remote) throw new InputException("--define", "defines the VM in libvirt: give --connect URI (the host it is planned for and defined on)");
            if (defining && fmt != VmFormat.Libvirt) throw new InputException("--define", "defines a libvirt domain: give --format libvirt");
            if (!remote && !Directory.Exists(rootDir)) throw new InputException("--root", $"'{rootDir}' is not a directory");
            if (parse.GetValue(disk) is not null && parse.GetValue(diskSize) is not null)
                throw new InputException("--disk", "give --disk PATH or --disk-size SIZE, not both");

            var request = new VmRequest(
                parse.GetValue(gpus) ?? [],
                Size("--memory", parse.GetValue(memory)) ?? 0,
                parse.GetValue(vcpus),
                parse.GetValue(name)!,
                (parse.GetValue(os) ?? "").Trim().ToLowerInvariant() switch
                {
                    "windows" => GuestOs.Windows,
                    "linux" => GuestOs.Linux,
                    var other => throw new InputException("--os", $"'{other}' is not windows or linux"),
                },
                parse.GetValue(devices) ?? [],
                parse.GetValue(lg) is { } lgText
                    ? LookingGlassResolution.TryParse(lgText, out var r) ? r : throw new InputException("--looking-glass", $"'{lgText}' is not a resolution (WxH or WxH:hdr)")
                    : null,
                (parse.GetValue(hugepages) ?? "").Trim().ToUpperInvariant() switch
                {
                    "AUTO" => HugePageChoice.Auto,
                    "1G" => HugePageChoice.Size1G,
                    "2M" => HugePageChoice.Size2M,
                    "OFF" or "NONE" => HugePageChoice.None,
                    var other => throw new InputException("--hugepages", $"'{other}' is not 1G, 2M or off"),
                },
                parse.GetValue(disk),
                Size("--disk-size", parse.GetValue(diskSize)),
                (parse.GetValue(firmware) ?? "").Trim().ToLowerInvariant() switch
                {
                    "ovmf" or "uefi" => FirmwareKind.Ovmf,
                    "seabios" or "bios" => FirmwareKind.SeaBios,
                    var other => throw new InputException("--firmware", $"'{other}' is not ovmf or seabios"),
                },
                parse.GetValue(force),
                parse.GetValue(hideKvm));

            using var connection = remote ? LibvirtConnection.Open(parse.GetValue(connect), readOnly: !defining) : null;
            // Before any planning: a name already taken there is refused, never replaced.
            var creation = defining ? DomainCreation.ForName(connection!, request.Name) : null;
            HostModel host;
            VmHostSoftware software;
            if (connection is not null)
            {
                (host, software) = RemoteHost.Read(connection);
                host = HostConnectOption.WithCpus(host);
            }
            else
            {
                host = HostModel.Read(new SysfsRoot(rootDir));
                software = VmHostSoftware.Find(rootDir, () => QemuMachineTypes.Query());
            }
            var vm = VmBlueprintBuilder.Build(host, request, software.MachineType, software.Firmware);
            vm = vm with { Notes = [.. vm.Notes, .. software.Notes] };
            var text = VmGenerator.Write(vm, fmt);
            CreationResult? created = null;
            if (creation is not null)
            {
                created = creation.Apply(text, readBack => DefinitionReadBack.Check(text, readBack));
                text = created.Xml; // with the UUID it was defined under
            }
            WriteOut(io, parse.GetValue(output), text, fmt, parse.GetValue(force), vm.Notes);
            if (created is null) return ExitCodes.Ok;
            var where = $"{connection!.Uri}/{vm.Name}";
            if (created.Defined)
            {
                io.Error.WriteLine($"{where}: defined ({created.Domain!.Uuid}), validated by libvirt, read back and compared");
                return ExitCodes.Ok;
            }
            io.Error.WriteLine($"vfiokit: {where}: {created.Problem}");
            io.Error.WriteLine(created.Domain is null ? $"{where}: libvirt did not define it; nothing changed" : $"{where}: undefined again; nothing is left defined");
            return ExitCodes.HostChangeFailed;
        });
        return command;
    }

    private static void WriteOut(CliIO io, string? file, string text, VmFormat fmt, bool force, IReadOnlyList<string> notes)
    {
        if (file is null)
        {
            io.Out.Write(text);
            return;
        }
        // A script is executable; --force replaces an existing file as fix --write does (docs/writing-files.md).
        var mode = fmt == VmFormat.Qemu
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
            : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var written = FileReplacement.Write(file, new UTF8Encoding(false).GetBytes(text), mode, force);
        if (written.ViaSymlink) io.Error.WriteLine($"{file}: is a symlink; wrote its target {written.Target}");
        if (written.Backup is not null) io.Error.WriteLine($"{file}: previous version kept as {written.Backup}");
        io.Error.WriteLine($"wrote {file}");
        foreach (var note in notes) io.Error.WriteLine($"note: {note}");
    }

    private static long? Size(string option, string? text) =>
        text is null ? null
        : MemorySize.TryParse(text, out var bytes) ? bytes
        : throw new InputException(option, $"'{text}' is not a size (e.g. 16G, 16384M)");
}
