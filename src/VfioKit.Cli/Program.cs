using System.Text;
using VfioKit.Cli;
using VfioKit.Cli.Install;

// KubeVirt's sidecar-shim runs this binary as `onDefineDomain --vmi ... --domain ...`.
args = VfioKit.Cli.Commands.KubeVirtHookCommand.AsInvoked(args);

// Run by the ./vfiokit launcher: the staleness walk started before the runtime (Install/SourceWalk.c) and
// is joined before the verb runs (which first rebuilds when a source is newer).
var beforeVerb = SourceFreshness.BeforeVerb(args);

if (!Console.IsOutputRedirected) return CliApp.Run(args, Console.Out, Console.Error, beforeVerb: beforeVerb);

// Redirected (a pipe, a file): one buffered writer and one write at the end, instead of Console.Out's
// write per call (Spectre writes a table cell by cell).
using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
var code = CliApp.Run(args, stdout, Console.Error, terminal: false, beforeVerb: beforeVerb);
stdout.Flush();
return code;
