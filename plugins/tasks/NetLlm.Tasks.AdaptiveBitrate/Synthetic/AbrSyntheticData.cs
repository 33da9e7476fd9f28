using System.Globalization;
using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Tasks.AdaptiveBitrate.Randomness;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Tasks.AdaptiveBitrate.Synthetic;

/// <summary>
/// Generates ABR environments without any data files: bandwidth traces and a chunk-size ladder, in memory, as objects
/// the simulator accepts (<see cref="BandwidthTrace"/>, <see cref="AbrVideo"/>). Deterministic for a seed (numpy's
/// legacy MT19937 stream, so the same seed gives the same data on every platform).
/// <para>
/// Trace model (Genet-style, piecewise constant with random switches): starting at t = 0, every
/// <see cref="SyntheticTraceOptions.StepSeconds"/> a sample is emitted. A bandwidth level L ~ U(min, max) Mbps is held
/// for H ~ U{min_hold, …, max_hold} samples, then a new level is drawn. Each sample is L · U(1 − jitter, 1 + jitter),
/// rounded to <see cref="SyntheticTraceOptions.Decimals"/> decimals and kept at least one unit of the last decimal.
/// </para>
/// <para>
/// Video model: chunk i at level q has size round(kbps_q · 500 · scale · C_i · J_iq) bytes (500 = 1000 / 8 bits · 4 s),
/// with scene complexity C_i ~ U(1 − spread, 1 + spread) shared by all levels and jitter J_iq ~ U(1 − j, 1 + j); sizes
/// are then made non-decreasing in q. 49 chunk sizes per level (48 played + RobustMPC's look-ahead).
/// </para>
/// </summary>
public static class AbrSyntheticData
{
    /// <summary>Set (folder) name given to generated traces.</summary>
    public const string TraceGroup = "synthetic";

    /// <summary>Generates <paramref name="count"/> traces named <c>synthetic_trace_000</c>, … .</summary>
    /// <param name="count">Number of traces (at least 1).</param>
    /// <param name="seed">Seed (0 to 2^32 − 1).</param>
    /// <param name="options">Model parameters, or null for the defaults.</param>
    public static IReadOnlyList<BandwidthTrace> GenerateTraces(int count, long seed, SyntheticTraceOptions? options = null)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "at least one synthetic trace is needed");
        }

        var o = options ?? new SyntheticTraceOptions();
        o.Validate();
        var random = new NumpyRandomState(seed);
        var samples = (int)Math.Floor((o.DurationSeconds / o.StepSeconds) + 1e-9) + 1;
        var floor = Math.Pow(10, -o.Decimals);
        var traces = new List<BandwidthTrace>(count);
        for (var k = 0; k < count; k++)
        {
            var times = new double[samples];
            var mbps = new double[samples];
            var level = 0.0;
            var hold = 0L;
            for (var i = 0; i < samples; i++)
            {
                if (hold <= 0)
                {
                    level = random.Uniform(o.MinMbps, o.MaxMbps);
                    hold = random.RandInt(o.MinHoldSteps, o.MaxHoldSteps + 1L);
                }

                hold--;
                var value = level * random.Uniform(1 - o.Jitter, 1 + o.Jitter);
                times[i] = Math.Round(i * o.StepSeconds, 9);
                mbps[i] = Math.Max(Math.Round(value, o.Decimals), floor);
            }

            var name = "synthetic_trace_" + k.ToString("000", CultureInfo.InvariantCulture);
            traces.Add(new BandwidthTrace(name, TraceGroup, times, mbps, $"synthetic trace {k} (seed {seed})"));
        }

        return traces;
    }

    /// <summary>Generates a chunk-size table for the Pensieve ladder.</summary>
    /// <param name="seed">Seed (0 to 2^32 − 1).</param>
    /// <param name="options">Model parameters, or null for the defaults.</param>
    public static AbrVideo GenerateVideo(long seed, SyntheticVideoOptions? options = null)
    {
        var o = options ?? new SyntheticVideoOptions();
        o.Validate();
        var random = new NumpyRandomState(seed);
        var sizes = new long[AbrConstants.BitrateLevels][];
        for (var q = 0; q < AbrConstants.BitrateLevels; q++)
        {
            sizes[q] = new long[AbrConstants.ChunkSizeLines];
        }

        var bytesPerKbps = AbrConstants.Thousand / AbrConstants.BitsPerByte * (AbrConstants.ChunkLengthMs / AbrConstants.MillisecondsPerSecond);
        for (var chunk = 0; chunk < AbrConstants.ChunkSizeLines; chunk++)
        {
            var complexity = random.Uniform(1 - o.ComplexitySpread, 1 + o.ComplexitySpread);
            for (var q = 0; q < AbrConstants.BitrateLevels; q++)
            {
                var jitter = random.Uniform(1 - o.LevelJitter, 1 + o.LevelJitter);
                var size = (long)Math.Round(AbrConstants.BitratesKbps[q] * bytesPerKbps * o.BitrateScale * complexity * jitter);
                size = Math.Max(size, 1);
                sizes[q][chunk] = q == 0 ? size : Math.Max(size, sizes[q - 1][chunk]);
            }
        }

        return new AbrVideo($"synthetic-video-seed{seed}", sizes.Select(s => (IReadOnlyList<long>)s).ToList());
    }

    /// <summary>A deterministic scenario over generated traces and video (no data root needed).</summary>
    /// <param name="traceCount">Number of traces.</param>
    /// <param name="seed">Seed of the traces; the video uses <paramref name="seed"/> + 1.</param>
    /// <param name="traceOptions">Trace model parameters, or null.</param>
    /// <param name="videoOptions">Video model parameters, or null.</param>
    public static AbrScenario GenerateScenario(int traceCount, long seed, SyntheticTraceOptions? traceOptions = null, SyntheticVideoOptions? videoOptions = null)
    {
        var traces = GenerateTraces(traceCount, seed, traceOptions);
        var video = GenerateVideo(seed + 1, videoOptions);
        return new AbrScenario("synthetic", traces, video, null, deterministic: true);
    }
}
