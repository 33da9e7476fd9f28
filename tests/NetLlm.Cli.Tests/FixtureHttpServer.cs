using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NetLlm.Cli.Tests;

/// <summary>How the fixture server misbehaves for one path.</summary>
internal enum ServeMode
{
    /// <summary>Serves the content, honouring <c>Range: bytes=N-</c> with 206.</summary>
    Normal,

    /// <summary>The first request gets the full Content-Length header but only <see cref="FixtureHttpServer.DropAfter"/> bytes, then the connection is closed.</summary>
    DropFirstTransfer,

    /// <summary>Serves the content with one byte changed.</summary>
    Corrupt,

    /// <summary>Ignores Range headers and always answers 200 with the whole content.</summary>
    IgnoreRange,
}

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (raw <see cref="TcpListener"/>, one request per connection) serving files
/// from a dictionary or from a folder, with per-path misbehaviour, recording every request's path and Range header.
/// </summary>
internal sealed class FixtureHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Dictionary<string, byte[]> _files;
    private readonly string? _folder;
    private readonly ConcurrentDictionary<string, int> _transfers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FixtureHttpServer(Dictionary<string, byte[]>? files = null, string? folder = null)
    {
        _files = files ?? [];
        _folder = folder;
        _listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(AcceptLoop);
    }

    public Uri BaseUri { get; }

    public Dictionary<string, ServeMode> Modes { get; } = new(StringComparer.Ordinal);

    public int DropAfter { get; init; } = 1000;

    public ConcurrentQueue<(string Path, string? Range)> Requests { get; } = new();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var (path, range) = await ReadRequest(stream);
                Requests.Enqueue((path, range));
                var content = Lookup(path);
                if (content is null)
                {
                    await Write(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", ReadOnlyMemory<byte>.Empty);
                    return;
                }

                var mode = Modes.GetValueOrDefault(path, ServeMode.Normal);
                var transfer = _transfers.AddOrUpdate(path, 1, (_, n) => n + 1);
                if (mode == ServeMode.Corrupt)
                {
                    content = (byte[])content.Clone();
                    content[content.Length / 2] ^= 0x5A;
                }

                var start = mode != ServeMode.IgnoreRange && range is not null ? long.Parse(range["bytes=".Length..].TrimEnd('-'), CultureInfo.InvariantCulture) : 0;
                if (start >= content.Length && content.Length > 0)
                {
                    await Write(stream, $"HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{content.Length}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", ReadOnlyMemory<byte>.Empty);
                    return;
                }

                var body = content.AsMemory((int)start);
                var head = start > 0
                    ? $"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {start}-{content.Length - 1}/{content.Length}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"
                    : $"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nAccept-Ranges: bytes\r\nConnection: close\r\n\r\n";
                if (mode == ServeMode.DropFirstTransfer && transfer == 1)
                {
                    await Write(stream, head, body[..Math.Min(DropAfter, body.Length)]);
                    client.Client.LingerState = new LingerOption(true, 0);
                    client.Client.Close(); // reset mid-body
                    return;
                }

                await Write(stream, head, body);
            }
            catch (IOException)
            {
            }
            catch (SocketException)
            {
            }
        }
    }

    private byte[]? Lookup(string path)
    {
        if (_files.TryGetValue(path, out var bytes))
        {
            return bytes;
        }

        if (_folder is null)
        {
            return null;
        }

        var relative = Uri.UnescapeDataString(path.TrimStart('/'));
        var full = Path.GetFullPath(Path.Combine(_folder, relative));
        return full.StartsWith(Path.GetFullPath(_folder), StringComparison.Ordinal) && File.Exists(full) ? File.ReadAllBytes(full) : null;
    }

    private static async Task<(string Path, string? Range)> ReadRequest(NetworkStream stream)
    {
        var text = new StringBuilder();
        var buffer = new byte[1];
        while (!text.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(buffer) == 0)
            {
                throw new IOException("client closed before the end of the request");
            }

            text.Append((char)buffer[0]);
        }

        var lines = text.ToString().Split("\r\n");
        var path = lines[0].Split(' ')[1];
        var range = lines.Skip(1).FirstOrDefault(l => l.StartsWith("Range:", StringComparison.OrdinalIgnoreCase))?["Range:".Length..].Trim();
        return (path, range);
    }

    private static async Task Write(NetworkStream stream, string head, ReadOnlyMemory<byte> body)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
    }
}
