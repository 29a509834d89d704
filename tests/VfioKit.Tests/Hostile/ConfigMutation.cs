using System.Text;
using CsCheck;

namespace VfioKit.Tests.Hostile;

/// <summary>
/// One edit of a real configuration, aimed where readers go wrong: cut or repeat a span, splice in a token
/// that means something to one of the formats (a quote, a continuation, a huge or negative number, a
/// repeated key, a deep tag, a byte order mark), or swap two characters. Positions are taken modulo the
/// text's length, so a mutation applies to any file.
/// </summary>
public readonly record struct ConfigMutation(int Kind, int At, int Length, int Token)
{
    public static readonly string[] Tokens =
    [
        "'", "\"", "\\\n", "\n", ",", "=", ":", ";", "<", ">", "/>", "{", "}", "[", "]", "#", "$", "\uFEFF", "\t",
        "2147483647", "4294967296", "-1", "256", "0x100", "0x1f.7", "99999999999999999999", "010",
        ",hidden=0", ",id=gpu", ",chassis=256", ",bus=pcie.0", ",addr=0x0", ",multifunction=on", ",x-vga=on", ",bus=nowhere",
        "index='2147483647'", "index='1'", "<a>", "</a>", "<controller type='pci' index='2' model='pcie-switch-downstream-port'/>",
        "<address type='pci' domain='0x0000' bus='0x100' slot='0x20' function='0x8'/>", "<![CDATA[", "<!--", "]]>", "&amp;", "&#0;",
        " -device ", " -cpu host ", " -machine q35 ", "-device\n", "{\"driver\":\"vfio-pci\",\"host\":\"0b:00.0\",\"id\":\"a\",\"id\":\"b\"}",
        "hostpci0: 0b:00,pcie=1", "hostpci15: 0000:0b:00.0;0000:0b:00.1,pcie=1,x-vga=1", "[snap]\n", "cpu: host,hidden=1,hidden=0\n",
        "0-1048575", "1-0", ",", "\u00e9", "\0",
    ];

    public static Gen<ConfigMutation> Gen { get; } =
        CsCheck.Gen.Select(CsCheck.Gen.Int[0, 5], CsCheck.Gen.Int[0, int.MaxValue], CsCheck.Gen.Int[0, 64], CsCheck.Gen.Int[0, Tokens.Length - 1],
            (k, a, l, t) => new ConfigMutation(k, a, l, t));

    /// <summary>One to <paramref name="most"/> mutations drawn from a seeded generator (the fuzz campaigns).</summary>
    public static ConfigMutation[] Draw(Random random, int most) =>
        Enumerable.Range(0, random.Next(1, most + 1))
            .Select(_ => new ConfigMutation(random.Next(0, 6), random.Next(), random.Next(0, 65), random.Next(0, Tokens.Length)))
            .ToArray();

    public string Apply(string text)
    {
        var at = text.Length == 0 ? 0 : At % (text.Length + 1);
        var len = Math.Min(Length, text.Length - at);
        switch (Kind)
        {
            case 0: return text.Remove(at, len);
            case 1: return text.Insert(at, text.Substring(at, len));
            case 2: return text.Insert(at, Tokens[Token]);
            case 3: return text.Remove(at, len).Insert(at, Tokens[Token]);
            case 4:
                if (text.Length < 2) return text;
                var other = (at + Length + 1) % text.Length;
                var sb = new StringBuilder(text);
                (sb[at % text.Length], sb[other]) = (sb[other], sb[at % text.Length]);
                return sb.ToString();
            default:
                // A run of digits made huge: bounds on indexes, chassis, buses and CPU ids.
                var digit = text.IndexOfAny("0123456789".ToCharArray(), at);
                return digit < 0 ? text : text.Insert(digit, "99999");
        }
    }

    public override string ToString() => $"{(Kind switch { 0 => "cut", 1 => "repeat", 2 => "insert", 3 => "replace", 4 => "swap", _ => "grow" })} at {At} len {Length} token {Tokens[Token].Replace("\n", "\\n")}";
}
