using System.Text.Json;
using NetLlm.Abstractions.Serving;
using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.AdaptiveBitrate;
using NetLlm.Tasks.AdaptiveBitrate.Serving;
using NetLlm.Tasks.AdaptiveBitrate.Settings;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;
using NetLlm.Tasks.AdaptiveBitrate.Synthetic;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

/// <summary>
/// The serving protocol rebuilds, from a player's raw reports, exactly the state and reward the simulator computes:
/// every chunk of several noisy episodes with random qualities is reported as a player would report it.
/// </summary>
public sealed class AbrServingTests
{
    [Fact]
    public void PlayerReports_RebuildTheSimulatorsStateAndReward_BitForBit()
    {
        var scenario = AbrSyntheticData.GenerateScenario(6, 5);
        using var env = new AbrEnvironment(new AbrScenario("noisy", scenario.Traces, scenario.Video, null, deterministic: false));
        var random = new Random(3);
        var protocol = new AbrServingProtocol(scenario.Video);
        var video = scenario.Video;
        for (var episode = 0; episode < 3; episode++)
        {
            var served = protocol.BeginEpisode();
            var observation = env.Reset(episode == 0 ? 1 : null).Observation;
            double? expectedReward = null;
            var done = false;
            for (var k = 0; ; k++)
            {
                var step = served.Read(Report(observation, k));
                Assert.Equal(k, step.Step);
                Assert.Equal(expectedReward, step.Reward);
                Assert.Equal(done, step.Done);
                Assert.Equal(observation.ChunksRemaining, step.Observation.ChunksRemaining);
                Assert.Equal(observation.BufferSeconds, step.Observation.BufferSeconds);
                Assert.Equal(observation.Level, step.Observation.Level);
                Assert.Same(video, step.Observation.Video);
                for (var row = 0; row < 6; row++)
                {
                    for (var column = 0; column < 6; column++)
                    {
                        // After the last chunk the simulator's row 4 holds chunk 0's sizes; players report zeros.
                        if (!(done && row == 4))
                        {
                            Assert.True(observation[row, column] == step.Observation[row, column], $"episode {episode} chunk {k} state[{row},{column}]: {observation[row, column]} vs {step.Observation[row, column]}");
                        }
                    }
                }

                if (done)
                {
                    Assert.Equal(48, k + 1);
                    break;
                }

                var result = env.Step(random.Next(6));
                observation = result.Observation;
                expectedReward = result.Reward;
                done = result.Terminated;
            }
        }
    }

    [Fact]
    public void Write_GivesQualityAndBitrate_AndCreateServing_UsesTheOptionsVideo()
    {
        IServableTask<AbrObservation, int, AbrOptions> task = new AbrTask();
        using var protocol = task.CreateServing(new AbrOptions { Synthetic = true, SyntheticSeed = 4 }, new TaskContext());
        var video = ((AbrServingProtocol)protocol).Video;
        Assert.Equal(AbrSyntheticData.GenerateVideo(5).ChunkBytes(3, 7), video.ChunkBytes(3, 7));
        var action = protocol.BeginEpisode().Write(default, 3);
        Assert.Equal(3, action["quality"]!.GetValue<int>());
        Assert.Equal(1850, action["bitrate_kbps"]!.GetValue<int>());
        var error = Assert.Throws<ArgumentException>(() => task.CreateServing(new AbrOptions(), new TaskContext()));
        Assert.Contains("option --video is required", error.Message, StringComparison.Ordinal);
    }

    private static JsonElement Report(AbrObservation observation, int k)
    {
        var report = AbrPlayerReport.From(observation);
        Assert.Equal(k, report.ChunkIndex);
        return JsonDocument.Parse(report.ToJson().ToJsonString()).RootElement;
    }
}
