using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VfioKit.Tests.Report;

/// <summary>
/// Debian's chromium, headless, driven over its DevTools protocol (a websocket on a local port): the test
/// opens a local file and sees what a user's browser does with it: every request made, every console or
/// log message, the page's layout (measured by a script run by the debugger, which the page's own
/// no-script policy does not stop) and a screenshot. One browser serves many pages.
/// </summary>
public sealed class ChromiumPage : IDisposable
{
    private readonly Process process;
    private readonly TempDirectory profile = new("vk-chromium-");
    private readonly ClientWebSocket socket = new();
    private readonly List<JsonObject> events = [];
    private int nextId;

    /// <summary>What one page did: requests (URLs), console/log messages, elements past the page width, its text, a screenshot.</summary>
    public sealed record Visit(IReadOnlyList<string> Requests, IReadOnlyList<string> Messages, IReadOnlyList<string> OutsideWidth,
        int PageWidth, string Text, byte[] Screenshot);

    public ChromiumPage(int width = 1200, int height = 1600)
    {
        var start = new ProcessStartInfo("chromium") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--remote-debugging-port=0",
                     $"--user-data-dir={profile.Path}", $"--window-size={width},{height}", "about:blank",
                 })
            start.ArgumentList.Add(a);
        process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        // Chromium says where its debugger listens on stderr: "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID".
        var deadline = DateTime.UtcNow.AddSeconds(90);
        string? browser = null;
        while (browser is null)
        {
            var line = process.StandardError.ReadLineAsync();
            if (!line.Wait(Left(deadline)) || line.Result is null) throw new TimeoutException("chromium did not open its debugger port");
            var at = line.Result.IndexOf("ws://", StringComparison.Ordinal);
            if (at >= 0) browser = line.Result[at..].Trim();
        }
        _ = process.StandardError.ReadToEndAsync();
        var port = new Uri(browser).Port;
        using var http = new HttpClient();
        var targets = JsonNode.Parse(http.GetStringAsync($"http://127.0.0.1:{port}/json/list").Result)!.AsArray();
        var page = targets.First(t => (string?)t!["type"] == "page")!;
        socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None).Wait(TimeSpan.FromSeconds(30));
        foreach (var domain in new[] { "Page", "Runtime", "Log", "Network" }) Send($"{domain}.enable");
    }

    /// <summary>Opens <paramref name="file"/>, waits for its load event, and reports what it did.</summary>
    public Visit Open(string file)
    {
        var url = new Uri(Path.GetFullPath(file)).AbsoluteUri;
        events.Clear();
        Send("Page.navigate", new JsonObject { ["url"] = url });
        Until(e => (string?)e["method"] == "Page.loadEventFired");
        var measured = JsonNode.Parse((string)Send("Runtime.evaluate", new JsonObject { ["expression"] = Measure, ["returnByValue"] = true })["result"]!["value"]!)!;
        var shot = Convert.FromBase64String((string)Send("Page.captureScreenshot", new JsonObject { ["format"] = "png" })["data"]!);
        var requests = events.Where(e => (string?)e["method"] == "Network.requestWillBeSent")
            .Select(e => (string)e["params"]!["request"]!["url"]!).ToList();
        var messages = events.Select(Message).OfType<string>().ToList();
        return new Visit(requests, messages, measured["outside"]!.AsArray().Select(n => (string)n!).ToList(),
            (int)measured["width"]!, (string)measured["text"]!, shot);
    }

    /// <summary>Every element whose box reaches past the page's width (or left of 0), as tag#id; the width; the text a reader gets.</summary>
    private const string Measure = """
        (() => {
          const width = document.documentElement.clientWidth;
          const outside = [];
          for (const e of document.querySelectorAll('body *')) {
            const r = e.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue;
            if (r.right > width + 0.5 || r.left < -0.5) outside.push(e.tagName + (e.id ? '#' + e.id : '') + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
          }
          if (document.documentElement.scrollWidth > width) outside.push('document scrollWidth ' + document.documentElement.scrollWidth);
          return JSON.stringify({ width, outside, text: document.body.innerText });
        })()
        """;

    /// <summary>A console call, an uncaught exception or a browser log entry (a refused request, a policy violation), as text; null for other events.</summary>
    private static string? Message(JsonObject e) => (string?)e["method"] switch
    {
        "Runtime.consoleAPICalled" => $"console.{e["params"]!["type"]}: {e["params"]!["args"]?.ToJsonString()}",
        "Runtime.exceptionThrown" => $"exception: {e["params"]!["exceptionDetails"]?.ToJsonString()}",
        "Log.entryAdded" => $"{e["params"]!["entry"]!["level"]}: {e["params"]!["entry"]!["text"]} {e["params"]!["entry"]!["url"]}",
        _ => null,
    };

    private JsonObject Send(string method, JsonObject? parameters = null)
    {
        var id = ++nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        socket.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes(message.ToJsonString())), WebSocketMessageType.Text, true, CancellationToken.None).Wait();
        var reply = Until(m => (int?)m["id"] == id);
        if (reply["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        return reply["result"]!.AsObject();
    }

    /// <summary>Reads messages (keeping events) until one matches; slow machines get a minute.</summary>
    private JsonObject Until(Func<JsonObject, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var text = new MemoryStream();
            WebSocketReceiveResult r;
            do
            {
                var receive = socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                if (!receive.Wait(Left(deadline))) throw new TimeoutException("chromium did not answer");
                r = receive.Result;
                text.Write(buffer, 0, r.Count);
            } while (!r.EndOfMessage);
            var m = JsonNode.Parse(text.ToArray())!.AsObject();
            if (m["method"] is not null) events.Add(m);
            if (match(m)) return m;
        }
    }

    private static TimeSpan Left(DateTime deadline) => deadline > DateTime.UtcNow ? deadline - DateTime.UtcNow : TimeSpan.Zero;

    public void Dispose()
    {
        try { socket.Dispose(); }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
            process.Dispose();
            profile.Dispose();
        }
    }
}
