using System.Text;
using System.Text.Json;

namespace VfioKit.Verify.Agent;

/// <summary>The guest agent commands verify sends (qga/qapi-schema.json), written with a JSON writer: never text pasted together.</summary>
public static class GuestAgentCommands
{
    public static string Sync(long id) => Write("guest-sync", w => w.WriteNumber("id", id));

    public static string OsInfo() => Write("guest-get-osinfo", null);

    /// <summary>guest-exec with an argument array and captured output: no shell in between.</summary>
    public static string Exec(string path, IReadOnlyList<string> arguments) => Write("guest-exec", w =>
    {
        w.WriteString("path", path);
        w.WriteStartArray("arg");
        foreach (var a in arguments) w.WriteStringValue(a);
        w.WriteEndArray();
        w.WriteBoolean("capture-output", true);
    });

    public static string ExecStatus(long pid) => Write("guest-exec-status", w => w.WriteNumber("pid", pid));

    private static string Write(string name, Action<Utf8JsonWriter>? arguments)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("execute", name);
            if (arguments is not null)
            {
                w.WriteStartObject("arguments");
                arguments(w);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
