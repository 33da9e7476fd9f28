using NetLlm.Abstractions.Tasks;
using Sample.NetLlmDecisionTask.Environment;

namespace Sample.NetLlmDecisionTask.Model;

/// <summary>How observations are stored in experience pools: the history as floats, the link and step as integers.</summary>
public sealed class LinkStateCodec : IStateCodec<LinkObservation>
{
    /// <inheritdoc />
    public int Version => 1;

    /// <inheritdoc />
    public void Write(LinkObservation state, IStateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Floats("history", state.History);
        writer.Ints("link", [state.Current, state.Step]);
    }

    /// <inheritdoc />
    public LinkObservation Read(IStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var link = reader.Ints("link");
        return new LinkObservation(reader.Floats("history").ToArray(), (int)link[0], (int)link[1]);
    }
}

/// <summary>An action is one component: the link.</summary>
public sealed class LinkActionCodec : IActionCodec<LinkObservation, int>
{
    /// <inheritdoc />
    public int[] ToComponents(LinkObservation observation, int action) => [action];

    /// <inheritdoc />
    public int FromComponents(LinkObservation observation, int[] components)
    {
        ArgumentNullException.ThrowIfNull(components);
        return components.Length == 1 ? components[0] : throw new ArgumentException($"a link action has one component, got {components.Length}");
    }
}
