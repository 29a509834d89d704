using VfioKit.Generation;

namespace VfioKit.Run;

/// <summary>
/// The libvirt qemu hook (/etc/libvirt/hooks/qemu.d/vfiokit; libvirt runs every executable there as it runs
/// /etc/libvirt/hooks/qemu, which is left as it is). libvirt calls it as `vfiokit DOMAIN OPERATION SUB-OP EXTRA`
/// with the domain XML on stdin; prepare/begin and release/end go to vfiokit, everything else returns at once.
/// Every word that comes from input is quoted; the domain name only ever travels as "$1".
/// </summary>
public static class LibvirtHookScript
{
    public const string RelativePath = "etc/libvirt/hooks/qemu.d/vfiokit";

    public static string Render(string vfiokit, string root)
    {
        var exe = ShellText.Quote(vfiokit);
        var rootWord = ShellText.Quote(root);
        // $$: a lone brace stays shell text, so "${2:-}" is not read as an interpolation with format "-".
        return $$"""
            #!/bin/sh
            # Paths below are single-quoted so nothing in them expands (a $ in a path is meant literally).
            # shellcheck disable=SC2016
            # libvirt qemu hook written by `vfiokit hook install` (docs/run.md): while a domain that passes a GPU
            # runs, its huge pages are reserved on the GPU's NUMA node and host tasks are kept off its CPUs, through
            # vfiokit's journal (/run/vfiokit/DOMAIN.journal); release undoes exactly that. Domain XML comes on stdin.
            set -eu
            case "${2:-}/${3:-}" in
                prepare/begin) exec {{exe}} hook prepare --root {{rootWord}} -- "$1" ;;
                release/end) exec {{exe}} hook release --root {{rootWord}} -- "$1" ;;
            esac
            exit 0

            """;
    }
}
