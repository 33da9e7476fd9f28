using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using NetLlm.Testbeds.DashPlayer.Shaping;

namespace NetLlm.Testbeds.DashPlayer.Server;

/// <summary>One media segment the server sent through the shaped link.</summary>
/// <param name="Path">Request path.</param>
/// <param name="Bytes">Body bytes.</param>
/// <param name="RequestMs">Link time the request arrived, ms.</param>
/// <param name="FirstMs">Link time the link began sending (after the RTT), ms.</param>
/// <param name="LastMs">Link time the last packet went out, ms.</param>
public sealed record ShapedResponse(string Path, long Bytes, double RequestMs, double FirstMs, double LastMs);

/// <summary>
/// A small HTTP/1.1 server (keep-alive, GET/POST/DELETE) for one playback: the player page and dash.js at <c>/</c>,
/// the DASH folder at <c>/media/</c> (media segments <c>chunk-*.m4s</c> go through the <see cref="TraceShaper"/>; the
/// manifest and init segments do not, as the simulator has neither), the chunk sizes as <c>/media/sizes.json</c>, and
/// <c>/policy/…</c> forwarded to the policy server (so the page has one origin and the policy traffic stays off the
/// shaped link, as in the simulator where decisions cost no link time).
/// </summary>
public sealed partial class MediaServer : IAsyncDisposable
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".json"] = "application/json",
        [".mpd"] = "application/dash+xml",
        [".m4s"] = "video/iso.segment",
        [".mp4"] = "video/mp4",
    };

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly string _pageDir;
    private readonly string _dashJs;
    private readonly string _videoDir;
    private readonly byte[] _sizesJson;
    private readonly Uri? _policy;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly ConcurrentQueue<ShapedResponse> _shaped = new();
    private readonly ConcurrentDictionary<string, double> _sending = new(StringComparer.Ordinal);
    private readonly Task _accept;

    /// <summary>Starts listening on 127.0.0.1 at a free port.</summary>
    /// <param name="playerDir">The folder with <c>page/</c> and <c>node_modules/dashjs</c> (tools/player).</param>
    /// <param name="videoDir">The DASH folder (manifest.mpd, segments, video_size_0..5).</param>
    /// <param name="shaper">The link media segments go through.</param>
    /// <param name="policyBase">The policy server's base address; null answers /policy/ with 502.</param>
    /// <param name="sizesByLevel">Chunk sizes (bytes) per level, served as sizes.json.</param>
    public MediaServer(string playerDir, string videoDir, TraceShaper shaper, Uri? policyBase, IReadOnlyList<IReadOnlyList<long>> sizesByLevel)
    {
        ArgumentNullException.ThrowIfNull(shaper);
        ArgumentNullException.ThrowIfNull(sizesByLevel);
        _pageDir = Path.Combine(playerDir, "page");
        _dashJs = Path.Combine(playerDir, "node_modules", "dashjs", "dist", "modern", "umd", "dash.all.min.js");
        _videoDir = Path.GetFullPath(videoDir);
        Shaper = shaper;
        _policy = policyBase;
        var chunks = sizesByLevel.Min(l => l.Count);
        var json = new StringBuilder("{\"chunks\":").Append(chunks.ToString(CultureInfo.InvariantCulture)).Append(",\"sizes\":[");
        json.AppendJoin(',', sizesByLevel.Select(l => "[" + string.Join(',', l.Take(chunks).Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]"));
        json.Append("]}");
        _sizesJson = Encoding.UTF8.GetBytes(json.ToString());
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accept = AcceptLoopAsync();
    }

    /// <summary>The port listened on.</summary>
    public int Port { get; }

    /// <summary>The base address.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>The shaped link.</summary>
    public TraceShaper Shaper { get; }

    /// <summary>Media segments sent so far, in order.</summary>
    public IReadOnlyList<ShapedResponse> Shaped => [.. _shaped];

    /// <summary>Media segments being sent now, with the link time each request arrived (ms); for diagnostics.</summary>
    public IReadOnlyDictionary<string, double> Sending => new Dictionary<string, double>(_sending, StringComparer.Ordinal);

    /// <summary>Number of requests that failed (bad request, missing file, proxy failure).</summary>
    public int Errors => _errors;

    private int _errors;

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _connections.Add(Task.Run(() => ServeAsync(client)));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        client.NoDelay = true;
        var stream = client.GetStream();
        var reader = new RequestReader(stream);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var request = await reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                if (request is null)
                {
                    return;
                }

                await RespondAsync(stream, request).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The browser closed the connection or the server stops.
        }
    }

    private async Task RespondAsync(NetworkStream stream, HttpRequestData request)
    {
        var path = Uri.UnescapeDataString(request.Target.Split('?', 2)[0]);
        if (path.StartsWith("/policy/", StringComparison.Ordinal))
        {
            await ProxyAsync(stream, request, path["/policy".Length..]).ConfigureAwait(false);
            return;
        }

        if (request.Method != "GET")
        {
            await WriteAsync(stream, 405, "text/plain", "method not allowed"u8.ToArray()).ConfigureAwait(false);
            return;
        }

        if (path == "/media/sizes.json")
        {
            await WriteAsync(stream, 200, "application/json", _sizesJson).ConfigureAwait(false);
            return;
        }

        var file = path switch
        {
            "/" or "/index.html" => Path.Combine(_pageDir, "index.html"),
            "/netllm-player.js" => Path.Combine(_pageDir, "netllm-player.js"),
            "/dash.all.min.js" => _dashJs,
            _ when path.StartsWith("/media/", StringComparison.Ordinal) => Contained(_videoDir, path["/media/".Length..]),
            _ => null,
        };
        if (file is null || !File.Exists(file))
        {
            Interlocked.Increment(ref _errors);
            await WriteAsync(stream, 404, "text/plain", Encoding.UTF8.GetBytes("not found: " + path)).ConfigureAwait(false);
            return;
        }

        var body = await File.ReadAllBytesAsync(file, _stop.Token).ConfigureAwait(false);
        var type = ContentTypes.GetValueOrDefault(Path.GetExtension(file), "application/octet-stream");
        if (!MediaSegment().IsMatch(Path.GetFileName(file)))
        {
            await WriteAsync(stream, 200, type, body).ConfigureAwait(false);
            return;
        }

        Shaper.Start();
        var requestMs = Shaper.NowMs;
        var header = Header(200, type, body.Length);
        _sending[path] = requestMs;
        double first, last;
        try
        {
            (first, last) = await Shaper.SendAsync(
                async (chunk, token) =>
                {
                    await stream.WriteAsync(chunk, token).ConfigureAwait(false);
                },
                Prepend(header, body),
                _stop.Token).ConfigureAwait(false);
        }
        finally
        {
            _sending.TryRemove(path, out _);
        }

        _shaped.Enqueue(new ShapedResponse(path, body.Length, requestMs, first, last));
    }

    private static byte[] Prepend(byte[] header, byte[] body)
    {
        // The headers ride in the first packet(s); they are under 200 bytes.
        var all = new byte[header.Length + body.Length];
        header.CopyTo(all, 0);
        body.CopyTo(all, header.Length);
        return all;
    }

    private async Task ProxyAsync(NetworkStream stream, HttpRequestData request, string rest)
    {
        if (_policy is null)
        {
            await WriteAsync(stream, 502, "application/json", "{\"error\":\"no policy server\"}"u8.ToArray()).ConfigureAwait(false);
            return;
        }

        try
        {
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_policy, rest.TrimStart('/')));
            if (request.Body.Length > 0 || request.Method == "POST")
            {
                message.Content = new ByteArrayContent(request.Body);
                message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            }

            using var response = await _http.SendAsync(message, _stop.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(_stop.Token).ConfigureAwait(false);
            await WriteAsync(stream, (int)response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "application/json", body).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            Interlocked.Increment(ref _errors);
            await WriteAsync(stream, 502, "application/json", Encoding.UTF8.GetBytes("{\"error\":\"policy server: " + e.Message.Replace("\"", "'", StringComparison.Ordinal) + "\"}")).ConfigureAwait(false);
        }
    }

    private static string? Contained(string root, string relative)
    {
        var full = Path.GetFullPath(Path.Combine(root, relative));
        return full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }

    private static byte[] Header(int status, string type, long length)
    {
        var reason = status switch { 200 => "OK", 201 => "Created", 204 => "No Content", 400 => "Bad Request", 404 => "Not Found", 405 => "Method Not Allowed", _ => "Status" };
        return Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status.ToString(CultureInfo.InvariantCulture)} {reason}\r\nContent-Type: {type}\r\nContent-Length: {length.ToString(CultureInfo.InvariantCulture)}\r\n" +
            "Cache-Control: no-store\r\nConnection: keep-alive\r\n\r\n");
    }

    private async Task WriteAsync(NetworkStream stream, int status, string type, byte[] body)
    {
        var header = Header(status, type, body.Length);
        await stream.WriteAsync(header, _stop.Token).ConfigureAwait(false);
        if (body.Length > 0)
        {
            await stream.WriteAsync(body, _stop.Token).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _accept.ConfigureAwait(false);
            await Task.WhenAll(_connections).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
        }

        _listener.Dispose();
        _http.Dispose();
        _stop.Dispose();
    }

    [GeneratedRegex(@"^chunk-stream\d+-\d+\.m4s$")]
    private static partial Regex MediaSegment();
}

/// <summary>A parsed HTTP request.</summary>
internal sealed record HttpRequestData(string Method, string Target, byte[] Body);

/// <summary>Reads HTTP/1.1 requests (request line, headers, Content-Length body) from a stream.</summary>
internal sealed class RequestReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public async Task<HttpRequestData?> ReadAsync(CancellationToken cancellationToken)
    {
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd()) < 0)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new IOException("request headers over 64 KiB");
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            _end += read;
        }

        var text = Encoding.ASCII.GetString(_buffer, _start, headerEnd - _start);
        _start = headerEnd + 4;
        var lines = text.Split("\r\n");
        var first = lines[0].Split(' ');
        if (first.Length < 3)
        {
            throw new IOException("bad request line: " + lines[0]);
        }

        var length = 0;
        var chunked = false;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line[(colon + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
            }

            if (colon > 0 && line[..colon].Trim().Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                && line[(colon + 1)..].Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                chunked = true;
            }
        }

        if (chunked)
        {
            return new HttpRequestData(first[0], first[1], await ReadChunkedAsync(cancellationToken).ConfigureAwait(false));
        }

        var body = new byte[length];
        var have = Math.Min(length, _end - _start);
        Buffer.BlockCopy(_buffer, _start, body, 0, have);
        _start += have;
        while (have < length)
        {
            var read = await stream.ReadAsync(body.AsMemory(have), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            have += read;
        }

        return new HttpRequestData(first[0], first[1], body);
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            var size = int.Parse(line.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                return body.ToArray();
            }

            await FillAsync(size + 2, cancellationToken).ConfigureAwait(false);
            body.Write(_buffer, _start, size);
            _start += size + 2;
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var index = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (index >= 0)
            {
                var line = Encoding.ASCII.GetString(_buffer, _start, index);
                _start += index + 2;
                return line;
            }

            await FillAsync(_end - _start + 1, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FillAsync(int needed, CancellationToken cancellationToken)
    {
        if (needed > _buffer.Length)
        {
            throw new IOException("request body chunk over 64 KiB");
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        while (_end - _start < needed)
        {
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("connection closed inside a chunked body");
            }

            _end += read;
        }
    }

    private int IndexOfHeaderEnd()
    {
        var span = _buffer.AsSpan(_start, _end - _start);
        var index = span.IndexOf("\r\n\r\n"u8);
        return index < 0 ? -1 : _start + index;
    }
}
