using VfioKit.Formats.Qemu;

namespace VfioKit.Fixing.Qemu;

/// <summary>
/// QEMU's option syntax, `driver,key=value,...` with `,,` standing for a literal comma: read into an
/// ordered list and written back, so a fix changes one key and keeps the others as written.
/// </summary>
public sealed class QemuOptionList
{
    private readonly List<(string? Key, string Value)> _items;

    private QemuOptionList(List<(string?, string)> items) => _items = items;

    /// <summary>The parts as written: a part without '=' has a null key (the driver, or a flag).</summary>
    public IReadOnlyList<(string? Key, string Value)> Items => _items;

    public static QemuOptionList Parse(string text) =>
        new(OptionList.Split(text).Select(p =>
        {
            var eq = p.IndexOf('=');
            return eq < 0 ? ((string?)null, p) : (p[..eq], p[(eq + 1)..]);
        }).ToList());

    /// <summary>The first part when it has no '=': the driver of -device, the model of -cpu, the type of -machine.</summary>
    public string? Head => _items.Count > 0 && _items[0].Key is null ? _items[0].Value : null;

    public string? Get(string key)
    {
        string? value = null;
        foreach (var (k, v) in _items) if (k == key) value = v;
        return value;
    }

    public QemuOptionList Set(string key, string value)
    {
        var copy = _items.ToList();
        var at = copy.FindLastIndex(i => i.Key == key);
        if (at >= 0) copy[at] = (key, value);
        else copy.Add((key, value));
        return new QemuOptionList(copy);
    }

    public QemuOptionList Remove(string key) => new(_items.Where(i => i.Key != key && !(i.Key is null && i.Value == key)).ToList());

    public QemuOptionList WithHead(string head)
    {
        var copy = _items.ToList();
        if (copy.Count > 0 && copy[0].Key is null) copy[0] = (null, head);
        else copy.Insert(0, (null, head));
        return new QemuOptionList(copy);
    }

    public QemuOptionList Append(string flag) => new([.. _items, (null, flag)]);

    public override string ToString() =>
        string.Join(',', _items.Select(i => i.Key is null ? OptionList.Escape(i.Value) : $"{i.Key}={OptionList.Escape(i.Value)}"));
}
