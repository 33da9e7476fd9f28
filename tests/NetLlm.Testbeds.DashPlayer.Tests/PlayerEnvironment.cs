using System.Diagnostics;
using NetLlm.Testbeds.DashPlayer.Browser;
using NetLlm.Testing;

namespace NetLlm.Testbeds.DashPlayer.Tests;

/// <summary>What the real-player tests need on the machine: chromium, ffmpeg and the page's npm packages.</summary>
internal static class PlayerEnvironment
{
    public static string PlayerDir => Path.Combine(TestPaths.RepoRoot ?? throw new InvalidOperationException("tests must run from a checkout"), "tools", "player");

    public static string? MissingReason()
    {
        var missing = new List<string>();
        if (HeadlessChromium.FindExecutable() is null)
        {
            missing.Add("chromium (" + HeadlessChromium.DefaultExecutable + ")");
        }

        if (!File.Exists("/usr/bin/ffmpeg"))
        {
            missing.Add("ffmpeg");
        }

        if (TestPaths.RepoRoot is null || !File.Exists(Path.Combine(PlayerDir, "node_modules", "dashjs", "dist", "modern", "umd", "dash.all.min.js")))
        {
            missing.Add("dash.js (tools/player/node_modules)");
        }

        return missing.Count == 0 ? null : $"needs {string.Join(", ", missing)}: run `bash {HeadlessChromium.InstallCommand}`";
    }

    /// <summary>
    /// A DASH video of N segments at one small frame size (make-media.sh --segments N --frame 256x144: the ladder's
    /// rates, about 5x faster to encode than the per-level sizes), made once per test run.
    /// </summary>
    public static string ShortVideo(int segments)
    {
        lock (Gate)
        {
            var dir = Path.Combine(Path.GetTempPath(), $"netllm-player-media-{segments}-{Environment.ProcessId}");
            if (File.Exists(Path.Combine(dir, "video_size_5")))
            {
                return dir;
            }

            // About 5.6 MB per segment: removed when the test process exits.
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (IOException)
                {
                }
            };
            var info = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
            info.ArgumentList.Add(Path.Combine(PlayerDir, "make-media.sh"));
            info.ArgumentList.Add(dir);
            info.ArgumentList.Add("--segments");
            info.ArgumentList.Add(segments.ToString(System.Globalization.CultureInfo.InvariantCulture));
            info.ArgumentList.Add("--frame");
            info.ArgumentList.Add("256x144");
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException("make-media.sh failed: " + stderr.Result);
            }

            return dir;
        }
    }

    private static readonly Lock Gate = new();
}

/// <summary>A fact that needs the browser, ffmpeg and dash.js; skipped with the install command otherwise.</summary>
public sealed class PlayerFactAttribute : FactAttribute
{
    public PlayerFactAttribute()
    {
        if (PlayerEnvironment.MissingReason() is { } reason)
        {
            Skip = reason;
        }
    }
}
