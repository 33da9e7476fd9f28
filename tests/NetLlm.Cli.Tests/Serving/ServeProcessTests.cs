using System.Diagnostics;
using System.Globalization;
using System.Net;
using NetLlm.Testing;

namespace NetLlm.Cli.Tests.Serving;

/// <summary>
/// The real <c>netllm serve</c> process: its first line is the URL, it answers, and Ctrl+C (SIGINT) or SIGTERM stops
/// it cleanly — open sessions closed, exit code 0.
/// </summary>
public sealed class ServeProcessTests
{
    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Serve_PrintsItsUrl_Answers_AndStopsCleanlyOnSignal(string signal)
    {
        using var dir = new TempDirectory();
        using var process = Process.Start(NetllmProcess.StartInfo(dir.Path, "serve", "--task", "abr", "--policy", "abr.bba", "--video", ServeFixture.Video, "--threads", "1", "--max-sessions", "3"))!;
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1));
            Assert.True(first is not null && first.StartsWith("listening on http://127.0.0.1:", StringComparison.Ordinal), $"first line: {first}; stderr: {(process.HasExited ? await error : "")}");
            using var http = new HttpClient { BaseAddress = new Uri(first["listening on ".Length..]) };
            var client = new ServeClient(http);
            var (status, health) = await client.SendAsync(HttpMethod.Get, "/v1/health");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("abr.bba", health!["policy"]!.GetValue<string>());
            _ = await client.OpenAsync("left-open");

            using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "serve did not stop within 30 s of SIG" + signal);
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("stopped: 1 sessions (1 still open were closed), 0 decisions", await error, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
