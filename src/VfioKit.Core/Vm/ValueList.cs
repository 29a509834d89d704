using System.Collections;

namespace VfioKit.Vm;

/// <summary>
/// An immutable list compared by its items, so records holding lists are value-equal
/// (a topology read twice from the same text compares equal).
/// </summary>
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] _items;

    public static readonly ValueList<T> Empty = new([]);

    public ValueList(IEnumerable<T> items) => _items = [.. items];

    public T this[int index] => _items[index];
    public int Count => _items.Length;

    public ValueList<T> Add(T item) => new([.. _items, item]);
    public ValueList<T> SetItem(int index, T item)
    {
        var copy = (T[])_items.Clone();
        copy[index] = item;
        return new(copy);
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(ValueList<T>? other) =>
        other is not null && _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items) hash.Add(item);
        return hash.ToHashCode();
    }

    public override string ToString() => "[" + string.Join(", ", _items) + "]";

    public static implicit operator ValueList<T>(T[] items) => new(items);
    public static implicit operator ValueList<T>(List<T> items) => new(items);
}
