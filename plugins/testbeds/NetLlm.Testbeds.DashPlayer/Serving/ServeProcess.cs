using System.Diagnostics;
using System.Globalization;

namespace NetLlm.Testbeds.DashPlayer.Serving;

/// <summary>
/// <c>netllm serve --task abr --policy X --port 0</c> as a child process of the running <c>netllm</c> (the policy
/// server lives in the host, the testbed is a plugin): started, its <c>listening on URL</c> line read, stopped with
/// SIGTERM (it drains and frees every session) when disposed.
/// </summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServeProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the server listens.</summary>
    public Uri BaseAddress { get; }

    /// <summary>
    /// The command that starts this process's netllm: its apphost (<c>netllm</c>), or <c>dotnet PATH/netllm.dll</c>
    /// when it was started through <c>dotnet</c>; null when the host is not netllm (a test host).
    /// </summary>
    public static IReadOnlyList<string>? CurrentNetllm()
    {
        var path = Environment.ProcessPath;
        if (path is not null && Path.GetFileNameWithoutExtension(path) == "netllm")
        {
            return [path];
        }

        var entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        return path is not null && Path.GetFileNameWithoutExtension(path) == "dotnet" && entry is { Length: > 0 } && Path.GetFileName(entry) == "netllm.dll"
            ? [path, entry]
            : null;
    }

    /// <summary>Starts the server and waits (up to two minutes: an adapted run loads its model first) for its address.</summary>
    /// <param name="netllm">The command that starts netllm (<see cref="CurrentNetllm"/>).</param>
    /// <param name="policy">Baseline id or run directory.</param>
    /// <param name="video">The chunk-size folder the server's task options name (the played video when it has the simulator's 48 chunks), or null for the task's default.</param>
    /// <param name="dataRoot">The data root, passed on.</param>
    /// <param name="threads">Compute threads.</param>
    /// <param name="argmax">Pass --argmax (take the most likely action).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public static async Task<ServeProcess> StartAsync(IReadOnlyList<string> netllm, string policy, string? video, string? dataRoot, int threads, bool argmax, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(netllm);
        var info = new ProcessStartInfo(netllm[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[.. netllm.Skip(1), "serve", "--task", "abr", "--policy", policy, "--port", "0", "--progress", "none", "--threads", Math.Max(1, threads).ToString(CultureInfo.InvariantCulture)])
        {
            info.ArgumentList.Add(arg);
        }

        if (video is not null)
        {
            info.ArgumentList.Add("--video");
            info.ArgumentList.Add(Path.GetFullPath(video));
        }

        if (argmax)
        {
            info.ArgumentList.Add("--argmax");
        }

        if (dataRoot is not null)
        {
            info.ArgumentList.Add("--data-root");
            info.ArgumentList.Add(dataRoot);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("netllm serve did not start");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
            {
                if (line.StartsWith("listening on ", StringComparison.Ordinal))
                {
                    var url = line["listening on ".Length..].Trim();
                    _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    return new ServeProcess(process, new Uri(url.EndsWith('/') ? url : url + "/"));
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("netllm serve printed no address within 2 minutes");
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        throw new InvalidOperationException($"netllm serve --policy {policy} exited with code {process.ExitCode}: {(await errors.ConfigureAwait(false)).Trim()}");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync().ConfigureAwait(false);
            }

            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}
