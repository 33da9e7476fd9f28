using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Core.IO;

namespace NetLlm.Core.Adaptation;

/// <summary>
/// An exclusive hold on a run directory for one process: an operating-system file lock on <c>run.lock</c> (released
/// by the kernel when the process ends, however it ends) plus a note of who holds it (<c>run.lock.owner</c>: process
/// id, machine, command, start time), so that a second run on the same directory fails at once naming the holder
/// instead of interleaving its metrics and checkpoints with the first.
/// </summary>
public sealed class RunLock : IDisposable
{
    /// <summary>The lock file.</summary>
    public const string LockFile = "run.lock";

    /// <summary>Who holds the lock (informational; the file lock is the truth).</summary>
    public const string OwnerFile = "run.lock.owner";

    private readonly FileStream _stream;
    private readonly string _owner;

    private RunLock(FileStream stream, string owner)
    {
        _stream = stream;
        _owner = owner;
    }

    /// <summary>Takes the lock of <paramref name="directory"/> (created if needed), or throws naming its holder.</summary>
    /// <param name="directory">The run directory.</param>
    /// <exception cref="IOException">Another process (or another run in this one) holds the directory.</exception>
    public static RunLock Acquire(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, LockFile);
        var ownerPath = Path.Combine(directory, OwnerFile);
        FileStream stream;
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix and a share-mode lock on Windows.
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"run directory '{directory}' is in use by {Holder(ownerPath)}; wait for it to finish or choose another run directory", e);
        }

        var owner = new JsonObject
        {
            ["pid"] = Environment.ProcessId,
            ["machine"] = Environment.MachineName,
            ["command"] = string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
            ["started_utc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
        AtomicFile.WriteAllText(ownerPath, owner.ToJsonString() + "\n");
        return new RunLock(stream, ownerPath);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            File.Delete(_owner);
        }
        catch (IOException)
        {
        }

        _stream.Dispose();
    }

    private static string Holder(string ownerPath)
    {
        try
        {
            var owner = JsonNode.Parse(File.ReadAllText(ownerPath));
            var pid = owner?["pid"]?.GetValue<int>();
            var alive = pid is { } id && IsRunning(id) ? string.Empty : " (not running any more: its lock should be released shortly)";
            return $"process {pid} on {owner?["machine"]} (`netllm {owner?["command"]}`, started {owner?["started_utc"]}){alive}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return "another process";
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
