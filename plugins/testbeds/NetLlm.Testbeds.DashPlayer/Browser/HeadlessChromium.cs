using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NetLlm.Testbeds.DashPlayer.Browser;

/// <summary>
/// Headless Chromium (the system browser, Debian package <c>chromium</c>) driven over the DevTools protocol: one
/// browser process with a throw-away profile, one page, navigate and evaluate. No browser is downloaded.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    /// <summary>Where the Debian package installs the browser.</summary>
    public const string DefaultExecutable = "/usr/bin/chromium";

    /// <summary>The command that installs what the testbed needs (browser, encoder, page packages).</summary>
    public const string InstallCommand = "tools/player/install.sh (apt-get install chromium ffmpeg; npm ci in tools/player)";

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The browser executable to use: <c>NETLLM_CHROMIUM</c>, else <see cref="DefaultExecutable"/>; null when missing.</summary>
    public static string? FindExecutable()
    {
        var configured = Environment.GetEnvironmentVariable("NETLLM_CHROMIUM");
        var path = string.IsNullOrEmpty(configured) ? DefaultExecutable : configured;
        return File.Exists(path) ? path : null;
    }

    /// <summary>Starts the browser and attaches to its first page.</summary>
    public static async Task<HeadlessChromium> LaunchAsync(string? executable = null, CancellationToken cancellationToken = default)
    {
        executable ??= FindExecutable() ?? throw new FileNotFoundException($"chromium not found at {DefaultExecutable} (set NETLLM_CHROMIUM or run {InstallCommand})");
        var profile = Directory.CreateTempSubdirectory("netllm-chromium-").FullName;
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--mute-audio", "--autoplay-policy=no-user-gesture-required",
            "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows",
            "--disable-features=Translate,MediaRouter", "--disk-cache-size=1", "--remote-debugging-port=0",
            "--user-data-dir=" + profile, "--window-size=800,600", "about:blank",
        })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("chromium did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new HeadlessChromium(process, profile);
        try
        {
            await browser.AttachAsync(cancellationToken).ConfigureAwait(false);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task AttachAsync(CancellationToken cancellationToken)
    {
        var portFile = Path.Combine(_profile, "DevToolsActivePort");
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(portFile) || new FileInfo(portFile).Length == 0)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"chromium exited with code {_process.ExitCode} before opening the DevTools port");
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("chromium did not open its DevTools port within 30 s");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        var port = (await File.ReadAllLinesAsync(portFile, cancellationToken).ConfigureAwait(false))[0].Trim();
        using var http = new HttpClient();
        string? socketUrl = null;
        while (socketUrl is null)
        {
            var list = JsonNode.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/json/list"), cancellationToken).ConfigureAwait(false))!.AsArray();
            socketUrl = list.FirstOrDefault(t => (string?)t!["type"] == "page")?["webSocketDebuggerUrl"]?.GetValue<string>();
            if (socketUrl is null)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }

        await _socket.ConnectAsync(new Uri(socketUrl), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Navigates the page to <paramref name="url"/>.</summary>
    public Task NavigateAsync(Uri url, CancellationToken cancellationToken = default) =>
        SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() }, cancellationToken);

    /// <summary>Evaluates a JavaScript expression in the page and returns its value as a string (null if undefined).</summary>
    public async Task<string?> EvaluateAsync(string expression, CancellationToken cancellationToken = default)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true }, cancellationToken).ConfigureAwait(false);
        if (result["exceptionDetails"] is { } exception)
        {
            throw new InvalidOperationException("page script failed: " + exception.ToJsonString());
        }

        var value = result["result"]?["value"];
        return value is null ? null : value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
    }

    /// <summary>Saves a PNG screenshot of the page.</summary>
    public async Task ScreenshotAsync(string path, CancellationToken cancellationToken = default)
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" }, cancellationToken).ConfigureAwait(false);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(result["data"]!.GetValue<string>()), cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject parameters, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var text = new MemoryStream();
            WebSocketReceiveResult received;
            do
            {
                received = await _socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    throw new InvalidOperationException("the browser closed the DevTools connection");
                }

                text.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage);

            var node = JsonNode.Parse(text.ToArray())!.AsObject();
            if (node["id"] is { } got && got.GetValue<int>() == id)
            {
                if (node["error"] is { } error)
                {
                    throw new InvalidOperationException($"DevTools {method} failed: {error.ToJsonString()}");
                }

                return node["result"]?.AsObject() ?? [];
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
