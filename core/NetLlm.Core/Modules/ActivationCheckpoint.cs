using static TorchSharp.torch;

namespace NetLlm.Core.Modules;

/// <summary>
/// Gradient (activation) checkpointing of one block, as <c>torch.utils.checkpoint</c> in its reentrant form and
/// Hugging Face's <c>gradient_checkpointing_enable()</c>: the forward runs the block without recording a graph and
/// keeps only its input; the backward runs the block again with the graph, under the random state the forward saw
/// (dropout draws the same masks), and back-propagates through it. A block's activations then live only while its
/// own backward runs, for about one extra forward pass of compute.
/// </summary>
public static class ActivationCheckpoint
{
    /// <summary>
    /// Runs <paramref name="block"/> on <paramref name="input"/> (borrowed), checkpointed when gradients are being
    /// recorded and the input requires one; otherwise a plain call. Returns a new tensor (caller owns).
    /// </summary>
    /// <param name="input">The block's input; its gradient flows back through the checkpoint.</param>
    /// <param name="constants">
    /// Tensors the block reads besides its input and parameters (masks, rotary tables, positions; no gradient flows
    /// to them). The backward needs them after the caller may have disposed its handles, so the block receives
    /// them as an argument: the checkpoint keeps its own handles until its backward has run.
    /// </param>
    /// <param name="block">The computation; must not change state (no KV cache) and may draw random numbers only
    /// from torch's default generator.</param>
    public static Tensor Run(Tensor input, IReadOnlyList<Tensor?> constants, Func<Tensor, IReadOnlyList<Tensor?>, Tensor> block)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(constants);
        ArgumentNullException.ThrowIfNull(block);
        if (!is_grad_enabled() || !input.requires_grad)
        {
            // Without an input gradient the reentrant form cannot reach the block's parameters (as in PyTorch).
            return block(input, constants);
        }

        // Handles of our own (the caller's scope disposes its handles before the backward), kept in a plain object:
        // TorchSharp's save_data refuses bare tensors. The backward disposes them.
        var state = new Recompute(
            get_rng_state().DetachFromDisposeScope(),
            constants.Select(c => c?.alias().DetachFromDisposeScope()).ToArray(),
            block);
        return Function.apply(input, state);
    }

    private sealed record Recompute(Tensor RandomState, Tensor?[] Constants, Func<Tensor, IReadOnlyList<Tensor?>, Tensor> Block);

    private sealed class Function : autograd.SingleTensorFunction<Function>
    {
        public override string Name => "CheckpointBackward";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (input, state) = ((Tensor)vars[0], (Recompute)vars[1]);
            Tensor output;
            using (no_grad())
            {
                output = state.Block(input, state.Constants);
            }

            ctx.save_data("recompute", state);
            ctx.save_for_backward([input]);
            return output;
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad)
        {
            var input = ctx.get_saved_variables()[0];
            var state = (Recompute)ctx.get_data("recompute");
            var (rng, constants, block) = (state.RandomState, state.Constants, state.Block);
            using var current = get_rng_state();
            set_rng_state(rng);
            Tensor inputGrad;
            try
            {
                using var scope = NewDisposeScope();
                using var enabled = enable_grad();
                var x = input.detach().requires_grad_(true);
                var output = block(x, constants);
                autograd.backward([output], [grad]);
                inputGrad = x.grad!.detach().MoveToOuterDisposeScope();
            }
            finally
            {
                set_rng_state(current);
                rng.Dispose();
                foreach (var c in constants)
                {
                    c?.Dispose();
                }
            }

            return [inputGrad, null!];
        }
    }
}
