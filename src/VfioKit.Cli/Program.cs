using System.Text;
using VfioKit.Cli;
using VfioKit.Cli.Install;

// Run by the ./vfiokit launcher: its staleness walk ran beside this start-up; rebuild first if a source is newer.
SourceFreshness.Check(args);

// KubeVirt's sidecar-shim runs this binary as `onDefineDomain --vmi ... --domain ...`.
args = VfioKit.Cli.Commands.KubeVirtHookCommand.AsInvoked(args);

if (!Console.IsOutputRedirected) return CliApp.Run(args, Console.Out, Console.Error);

// Redirected (a pipe, a file): one buffered writer and one write at the end, instead of Console.Out's
// write per call (Spectre writes a table cell by cell).
using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
var code = CliApp.Run(args, stdout, Console.Error, terminal: false);
stdout.Flush();
return code;
