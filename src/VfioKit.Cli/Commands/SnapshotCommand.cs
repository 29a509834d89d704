using System.CommandLine;
using VfioKit.Diagnostics;
using VfioKit.Host;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit snapshot --output DIR [--root DIR]`: copies exactly what `vfiokit host` reads, for bug reports and tests.</summary>
internal static class SnapshotCommand
{
    public static Command Create(CliIO io)
    {
        var output = new Option<string>("--output", "-o") { Description = "The directory to write (must not exist or be empty).", Required = true };
        var root = RootOption.Create();
        var command = new Command("snapshot", "Copy the sysfs/procfs files the host model reads (symlinks kept) into a directory; `vfiokit host --root DIR` then shows the same host.")
        {
            output,
            root,
        };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(output)!;
            if (File.Exists(dir) || (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any()))
                throw new InputException("--output", $"'{dir}' exists and is not an empty directory");
            var sysfs = RootOption.Open(parse.GetValue(root));
            var host = HostModel.Read(sysfs);
            int files;
            try
            {
                Directory.CreateDirectory(dir);
                files = HostSnapshot.Write(sysfs, dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InputException("--output", $"cannot write '{dir}': {e.Message}");
            }
            io.Out.WriteLine($"vfiokit: wrote {files} files of {host.PciFunctions.Count} PCI functions, {host.IommuGroups.Count} IOMMU groups to {dir}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
