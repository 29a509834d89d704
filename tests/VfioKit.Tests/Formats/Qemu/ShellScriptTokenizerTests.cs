using VfioKit.Diagnostics;
using VfioKit.Formats.Qemu;

namespace VfioKit.Tests.Formats.Qemu;

public class ShellScriptTokenizerTests
{
    private static List<List<string>> Words(string text) =>
        ShellScriptTokenizer.Tokenize(text, "t.sh").Select(c => c.Words.Select(w => w.Text).ToList()).ToList();

    [Fact]
    public void Continuations_comments_and_quotes_are_resolved_like_sh()
    {
        var text = "# launch\nqemu-system-x86_64 \\\n  -name 'my vm' \\\n  -device \"vfio-pci,host=$NVIDIA.0\" \\\n  -append \"a \\\"b\\\" c\" # trailing\necho done\n";
        var commands = Words(text);
        Assert.Equal(2, commands.Count);
        Assert.Equal(["qemu-system-x86_64", "-name", "my vm", "-device", "vfio-pci,host=$NVIDIA.0", "-append", "a \"b\" c"], commands[0]);
        Assert.Equal(["echo", "done"], commands[1]);
    }

    [Fact]
    public void Expansions_stay_symbolic_and_are_flagged()
    {
        var words = ShellScriptTokenizer.Tokenize("x host=${GPU}.1 $(cat f) `id -u` $HOME/x lit$ '$NOT'", "t.sh")[0].Words;
        Assert.Equal(["x", "host=${GPU}.1", "$(cat f)", "`id -u`", "$HOME/x", "lit$", "$NOT"], words.Select(w => w.Text));
        Assert.Equal([false, true, true, true, true, false, false], words.Select(w => w.HasExpansion));
    }

    [Fact]
    public void Separators_and_redirections_split_and_drop()
    {
        Assert.Equal([["a", "b"], ["c"], ["d"], ["e"]], Words("a b; c && d | e > out.log 2>&1 < in"));
    }

    [Fact]
    public void A_backslash_at_the_end_of_the_text_is_dropped()
    {
        // Found by the mutation property test: this used to read past the end.
        Assert.Equal([["a", "b"]], Words("a b\\"));
    }

    [Fact]
    public void Words_know_their_line_and_column()
    {
        var words = ShellScriptTokenizer.Tokenize("qemu \\\n    -device e1000", "t.sh")[0].Words;
        Assert.Equal((2, 5), (words[1].Location.Line, words[1].Location.Column));
        Assert.Equal((2, 13), (words[2].Location.Line, words[2].Location.Column));
    }

    [Theory]
    [InlineData("qemu -device 'e1000,\n id=x", 1, 14, "single quote")]
    [InlineData("qemu\n  -name \"oops", 2, 9, "double quote")]
    [InlineData("qemu $(echo", 1, 6, "$(")]
    public void Unbalanced_quotes_name_the_line_and_column(string text, int line, int column, string what)
    {
        var e = Assert.Throws<InputException>(() => ShellScriptTokenizer.Tokenize(text, "launch.sh"));
        Assert.Equal(("launch.sh", line, column), (e.Origin, e.Line, e.Column));
        Assert.Contains(what, e.Message);
    }
}
