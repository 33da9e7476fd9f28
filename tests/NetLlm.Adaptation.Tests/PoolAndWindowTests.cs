using NetLlm.Abstractions.Tasks;
using System.Text.Json.Nodes;
using NetLlm.Adaptation.Tests.Toy;
using NetLlm.Core.Adaptation;

namespace NetLlm.Adaptation.Tests;

public sealed class PoolAndWindowTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("netllm-pool-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ExperiencePool Pool(params int[] episodeLengths)
    {
        var builder = new ExperiencePoolBuilder<ToyState>("toy", new ToyCodec());
        var r = 0;
        foreach (var length in episodeLengths)
        {
            for (var t = 0; t < length; t++)
            {
                builder.Add(new ToyState(t % 3, t % 2, t), [t % 3], r++ % 4, t == length - 1);
            }
        }

        return builder.Build(new JsonObject { ["note"] = "test" });
    }

    [Fact]
    public void Pool_SaveLoad_RoundTripsEveryArray()
    {
        var pool = Pool(5, 3);
        var path = Path.Combine(_dir, "p.safetensors");
        pool.Save(path);
        var loaded = ExperiencePool.Load(path);

        Assert.Equal("toy", loaded.TaskId);
        Assert.Equal(8, loaded.Count);
        Assert.Equal(pool.Rewards, loaded.Rewards);
        Assert.Equal(pool.Dones, loaded.Dones);
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1], loaded.Episodes);
        Assert.Equal([0, 1, 2, 3, 4, 0, 1, 2], loaded.Timesteps);
        Assert.Equal(new ToyState(2, 0, 2), loaded.StateAt(7, new ToyCodec()));
        Assert.Equal([1], loaded.ActionAt(6));
        Assert.Equal("test", loaded.Info["note"]!.GetValue<string>());
    }

    [Fact]
    public void Pool_Load_RejectsOtherFilesAndCodecVersions()
    {
        var path = Path.Combine(_dir, "p.safetensors");
        Pool(2).Save(path);
        var e = Assert.Throws<InvalidDataException>(() => Pool(2).StateAt(0, new OtherCodec()));
        Assert.Contains("codec version 1", e.Message);
        var notPool = Path.Combine(_dir, "n.safetensors");
        NetLlm.Core.IO.SafetensorsWriter.Write(notPool, new Dictionary<string, TorchSharp.torch.Tensor> { ["x"] = TorchSharp.torch.zeros(2) });
        Assert.Contains("not a NetLlm experience pool", Assert.Throws<InvalidDataException>(() => ExperiencePool.Load(notPool)).Message);
    }

    /// <summary>Pools that used to crash (stack traces) or train on wrong data with exit 0 (issue 15).</summary>
    [Theory]
    [InlineData("version", "99999999999999999999", "metadata 'version' is '99999999999999999999', not a whole number")]
    [InlineData("episodes", "-4", "metadata 'episodes' is '-4', not a whole number")]
    [InlineData("steps", "9", "metadata 'steps' is 9 but the arrays hold 8")]
    [InlineData("info", "{not json", "metadata 'info' is not valid JSON")]
    [InlineData("info", "[1]", "metadata 'info' must be a JSON object")]
    [InlineData("timesteps", "1000000000", "'timesteps' at step 3 is 1000000000, expected 3")]
    [InlineData("episodes.tensor", "-2", "'episodes' at step 3 is -2, expected 0")]
    [InlineData("rewards", "NaN", "'rewards' at step 3 is NaN; rewards must be finite")]
    [InlineData("state", "Infinity", "'state.extra.values' holds Infinity at index 3 (step 3); states must be finite")]
    [InlineData("offsets", "1000000000000", "'state.state.offsets' decreases at step 3 (1000000000000 then")]
    [InlineData("dones", "0", "'episodes' at step 5 is 1, expected 0")]
    public void Pool_Load_RefusesBrokenMetadataAndSteps_NamingTheFile(string what, string value, string expected)
    {
        var path = Path.Combine(_dir, "p.safetensors");
        Pool(5, 3).Save(path);
        var metadata = new Dictionary<string, string>();
        var tensors = new Dictionary<string, TorchSharp.torch.Tensor>(StringComparer.Ordinal);
        using (var file = NetLlm.Core.IO.SafetensorsFile.Open(path))
        {
            foreach (var (k, v) in file.Metadata)
            {
                metadata[k] = v;
            }

            foreach (var name in file.Entries.Keys)
            {
                tensors[name] = file.Read(name);
            }
        }

        var ci = System.Globalization.CultureInfo.InvariantCulture;
        tensors["state.extra.values"] = TorchSharp.torch.zeros(8);
        tensors["state.extra.offsets"] = TorchSharp.torch.arange(9L);
        switch (what)
        {
            case "timesteps": tensors["timesteps"][3] = long.Parse(value, ci); break;
            case "episodes.tensor": tensors["episodes"][3] = long.Parse(value, ci); break;
            case "rewards": tensors["rewards"][3] = float.Parse(value, ci); break;
            case "state": tensors["state.extra.values"][3] = float.Parse(value, ci); break;
            case "offsets": tensors["state.state.offsets"][3] = long.Parse(value, ci); break;
            case "dones": tensors["dones"][4] = (byte)0; break;
            default: metadata[what] = value; break;
        }

        var broken = Path.Combine(_dir, "broken.safetensors");
        NetLlm.Core.IO.SafetensorsWriter.Write(broken, tensors, metadata);
        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }

        var e = Assert.Throws<InvalidDataException>(() => ExperiencePool.Load(broken));
        Assert.StartsWith($"{broken}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_StayInsideEpisodes_AndCoverTheirTails()
    {
        var pool = Pool(7, 3, 4);
        var windows = DecisionWindows.Cut(pool, window: 4, step: 0, crossEpisodes: false);
        Assert.Equal([new(0, 4), new(3, 4), new(7, 3), new(10, 4)], windows);
    }

    [Fact]
    public void Windows_CrossEpisodes_AsTheOriginal()
    {
        var pool = Pool(7, 3, 4);
        var windows = DecisionWindows.Cut(pool, window: 4, step: 0, crossEpisodes: true);
        Assert.Equal([new(0, 4), new(4, 4), new(8, 4)], windows);
        Assert.Equal([new(0, 4), new(2, 4), new(4, 4), new(6, 4), new(8, 4), new(10, 4)], DecisionWindows.Cut(pool, 4, 2, true));
    }

    [Fact]
    public void ReturnsToGo_AreMinMaxNormalisedDiscountedAndScaled()
    {
        // Rewards 0,1,2,3 | 0,1 ; min 0, max 3.
        var builder = new ExperiencePoolBuilder<ToyState>("toy", new ToyCodec());
        float[] rewards = [0, 1, 2, 3, 0, 1];
        for (var i = 0; i < rewards.Length; i++)
        {
            builder.Add(new ToyState(0, 0, i), [0], rewards[i], i is 3 or 5);
        }

        var pool = builder.Build(new JsonObject());
        var (c, rtg) = ReturnConditioning.FromPool(pool, gamma: 0.5, scale: 10);
        Assert.Equal(0.0, c.RewardMin);
        Assert.Equal(3.0, c.RewardMax);
        // Episode 1 normalised: 0, 1/3, 2/3, 1. rtg3 = 1; rtg2 = 2/3 + 0.5; rtg1 = 1/3 + 0.5 rtg2; rtg0 = 0.5 rtg1.
        var r3 = 1.0;
        var r2 = (2.0 / 3) + (0.5 * r3);
        var r1 = (1.0 / 3) + (0.5 * r2);
        var r0 = 0.5 * r1;
        Assert.Equal([r0 / 10, r1 / 10, r2 / 10, r3 / 10, (0.5 / 3) / 10, (1.0 / 3) / 10], rtg.Select(x => (double)x), new ToleranceComparer(1e-6));
        Assert.Equal(r0 / 10, c.MaxReturn, 6);
        Assert.Equal(3, c.MaxTimestep);
        Assert.Equal(1.0 / 3 / 10, c.Process(1.0), 9);
        Assert.Equal(1.0 / 10, c.Process(99.0), 9);
    }

    [Fact]
    public void ReturnsToGo_MinMax_IsNormalisedInFloat_BitForBit()
    {
        // Every adapted run's numbers depend on these bits: the reward is shifted and divided in float (the pool's
        // dtype), then summed in double. Computing the shift in double gives other bits for these rewards.
        var builder = new ExperiencePoolBuilder<ToyState>("toy", new ToyCodec());
        float[] rewards = [-0.74f, -0.95f, 2.35f, 0.04f, -0.06f];
        for (var i = 0; i < rewards.Length; i++)
        {
            builder.Add(new ToyState(0, 0, i), [0], rewards[i], i == rewards.Length - 1);
        }

        var (_, rtg) = ReturnConditioning.FromPool(builder.Build(new JsonObject()), gamma: 1, scale: 1);
        float min = -0.95f, range = 2.35f - min;
        double inFloat = 0, inDouble = 0;
        var differs = false;
        for (var i = rewards.Length - 1; i >= 0; i--)
        {
            inFloat += (rewards[i] - min) / range;
            inDouble += ((double)rewards[i] - min) / range;
            Assert.Equal((float)inFloat, rtg[i]);
            differs |= (float)inFloat != (float)inDouble;
        }

        Assert.True(differs, "these rewards no longer tell the float shift from the double one");
    }

    [Fact]
    public void ReturnsToGo_WithRangeNormalisation_KeepZeroAndTheSign()
    {
        // Costs as CJS has them: rewards 0, -2, 0, -4 | 0, -1; min -4, max 0, range 4.
        var builder = new ExperiencePoolBuilder<ToyState>("toy", new ToyCodec());
        float[] rewards = [0, -2, 0, -4, 0, -1];
        for (var i = 0; i < rewards.Length; i++)
        {
            builder.Add(new ToyState(0, 0, i), [0], rewards[i], i is 3 or 5);
        }

        var pool = builder.Build(new JsonObject());
        var (c, rtg) = ReturnConditioning.FromPool(pool, gamma: 1, scale: 2, RewardNormalization.Range);
        Assert.Equal(RewardNormalization.Range, c.Normalization);

        // Divided by the range and the scale, not shifted: the return-to-go is the cost still to come.
        Assert.Equal([-6.0 / 4 / 2, -6.0 / 4 / 2, -4.0 / 4 / 2, -4.0 / 4 / 2, -1.0 / 4 / 2, -1.0 / 4 / 2], rtg.Select(x => (double)x), new ToleranceComparer(1e-6));
        Assert.Equal(-1.0 / 4 / 2, c.MaxReturn, 6);
        Assert.Equal(0.0, c.Process(0.0), 9);
        Assert.Equal(-2.0 / 4 / 2, c.Process(-2.0), 9);
        Assert.Equal(-4.0 / 4 / 2, c.Process(-99.0), 9);

        // Min-max on the same pool: every zero-reward step adds 1 / range (a step counter).
        var (m, minMax) = ReturnConditioning.FromPool(pool, gamma: 1, scale: 2);
        Assert.Equal(RewardNormalization.MinMax, m.Normalization);
        Assert.Equal((1 + 0.5 + 1 + 0) / 2, minMax[0], 6);

        // The run records it; a conditioning written before the option existed reads as min-max; a bad value is named.
        var json = JsonNode.Parse(c.ToJson().ToJsonString())!.AsObject();
        Assert.Equal("range", (string?)json["reward_normalization"]);
        Assert.Equal(c, ReturnConditioning.FromJson(json, "run.json"));
        json.Remove("reward_normalization");
        Assert.Equal(RewardNormalization.MinMax, ReturnConditioning.FromJson(json, "run.json").Normalization);
        json["reward_normalization"] = "max-abs";
        var error = Assert.Throws<InvalidDataException>(() => ReturnConditioning.FromJson(json, "run.json"));
        Assert.Equal("run.json: conditioning.reward_normalization is \"max-abs\", not one of min-max, range", error.Message);
    }

    [Fact]
    public void SequenceLayout_PlacesTokensAndHeads()
    {
        // Two windows (2 steps, 1 step); component 0 has 2 then 1 then 2 tokens (width 2); component 1 one token.
        var layout = SequenceLayout.Build([2, 1], [([2, 1, 2], 2), ([1, 1, 1], 1)], steps: 3);
        // Rows: R 0..2 | seg0 3..8 | seg1 9..11 | A 12..14 | zero 15.
        Assert.Equal(9, layout.MaxLength);
        Assert.True(layout.Padded);
        Assert.Equal([0, 3, 4, 9, 12, 1, 5, 10, 13], layout.RowIndex[..9]);
        Assert.Equal([2, 7, 8, 11, 14, 15, 15, 15, 15], layout.RowIndex[9..]);
        Assert.Equal([2, 6, 11], layout.HeadIndex[0]);
        Assert.Equal([3, 7, 12], layout.HeadIndex[1]);
        Assert.Equal(5, layout.Mask[9..].Sum());
    }

    private sealed class OtherCodec : NetLlm.Abstractions.Tasks.IStateCodec<ToyState>
    {
        public int Version => 2;

        public void Write(ToyState state, IStateWriter writer) => throw new NotSupportedException();

        public ToyState Read(IStateReader reader) => throw new NotSupportedException();
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
