using VfioKit.Diagnostics;

namespace VfioKit.Verify;

/// <summary>
/// Reads a guest's report of any kind verify takes, telling them apart by content: the JSON of the
/// Windows script, the Linux agent collector's sysfs report, or lspci text (verbose or hex dump). Anything else is an <see cref="InputException"/>
/// that says what was recognised.
/// </summary>
public static class GuestReportReader
{
    /// <summary>The most text a report may have: a guest's lspci -vvv -xxxx is well under 1 MiB.</summary>
    public const int MaxLength = 16 * 1024 * 1024;

    public static GuestInventory Parse(string text, string origin)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
            throw new InputException(origin, null, null, $"{text.Length} characters is more than a guest report can be ({MaxLength}): not lspci output or the Windows script's JSON");
        if (text.Trim().Length == 0)
            throw new InputException(origin, null, null, "the guest report is empty");
        if (text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n').StartsWith('{'))
            return WindowsReport.Parse(text, origin);
        if (SysfsReport.Recognises(text))
            return SysfsReport.Parse(text, origin);
        if (LspciReport.Recognises(text))
            return LspciReport.Parse(text, origin);
        throw new InputException(origin, null, null,
            "not a guest report vfiokit reads: expected lspci -vv or lspci -xxxx text (lines such as \"01:00.0 VGA compatible controller: ...\") or the JSON of vfiokit verify --windows-script");
    }

    /// <summary>Reads a file, or stdin for "-".</summary>
    public static GuestInventory Load(string path, TextReader stdin)
    {
        string text;
        try
        {
            if (path == "-") text = stdin.ReadToEnd();
            else
            {
                var info = new FileInfo(path);
                if (info.Exists && info.Length > MaxLength * 2L)
                    throw new InputException(path, null, null, $"{info.Length} bytes is more than a guest report can be");
                text = File.ReadAllText(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(path, null, null, "cannot read the guest report: " + e.Message, e);
        }
        return Parse(text, path);
    }
}
