using ContextDiffusion.Model.Encoders;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Tests.Encoders;

public sealed class ClipTextModelTests : IDisposable
{
    private const int Eos = 527;
    private readonly ClipTextModel model;

    public ClipTextModelTests()
    {
        Torch.Torch.ManualSeed(3);
        model = new ClipTextModel(TinyClip.Text);
        model.Eval();
    }

    /// <summary>A padded prompt as the tokenizer makes it: start-of-text, tokens, end-of-text, padding to 77.</summary>
    private static long[] Prompt(long[] tokens, long pad = Eos)
    {
        var ids = Enumerable.Repeat(pad, 77).ToArray();
        ids[0] = 526;
        tokens.CopyTo(ids, 1);
        ids[tokens.Length + 1] = Eos;
        return ids;
    }

    private static Tensor Ids(params long[][] prompts) => Tensor.From(prompts.SelectMany(p => p).ToArray(), prompts.Length, prompts[0].Length);

    [Fact]
    public void Encodes_every_token_and_pools_one_vector_per_prompt()
    {
        using var scope = DisposeScope.Enter();
        var output = model.Forward(Ids(Prompt([5, 6, 7]), Prompt([9])));
        Assert.Equal([2, 77, 32], output.LastHiddenState.Shape);
        Assert.Equal([2, 32], output.PooledOutput.Shape);
    }

    [Fact]
    public void The_causal_mask_keeps_earlier_tokens_blind_to_later_ones()
    {
        using var scope = DisposeScope.Enter();
        var first = model.Forward(Ids(Prompt([5, 6, 7, 8, 9]))).LastHiddenState;
        var changed = model.Forward(Ids(Prompt([5, 6, 7, 100, 9]))).LastHiddenState;
        // Token 4 (the fourth prompt token) changed: tokens 0-3 are untouched, tokens 4 onwards see the change.
        TensorAssert.Close(first.Narrow(1, 0, 4), changed.Narrow(1, 0, 4), 1e-6);
        for (var position = 4; position < 77; position += 12)
            TensorAssert.Different(first.Select(1, position), changed.Select(1, position));
    }

    [Fact]
    public void Pools_at_the_first_end_of_text_token_whatever_the_padding()
    {
        using var scope = DisposeScope.Enter();
        var output = model.Forward(Ids(Prompt([5, 6, 7]), Prompt([5, 6, 7, 8, 9, 10], pad: 0)));
        TensorAssert.Equal(output.LastHiddenState.Select(0, 0).Select(0, 4), output.PooledOutput.Select(0, 0));
        TensorAssert.Equal(output.LastHiddenState.Select(0, 1).Select(0, 7), output.PooledOutput.Select(0, 1));
    }

    [Fact]
    public void Added_tokens_after_end_of_text_in_the_vocabulary_do_not_move_the_pooling()
    {
        using var scope = DisposeScope.Enter();
        // Textual inversion appends tokens to the vocabulary, with ids above end-of-text's.
        using var extended = new ClipTextModel(TinyClip.Text with { VocabSize = 530 });
        var output = extended.Forward(Ids(Prompt([5, 529, 7])));
        TensorAssert.Equal(output.LastHiddenState.Select(0, 0).Select(0, 4), output.PooledOutput.Select(0, 0));
    }

    [Fact]
    public void With_the_legacy_eos_token_id_pools_at_the_largest_id_as_transformers()
    {
        using var scope = DisposeScope.Enter();
        using var legacy = new ClipTextModel(TinyClip.Text with { EosTokenId = ClipTextConfig.LegacyEosTokenId });
        legacy.LoadStateDict(model.StateDict());
        // End-of-text is the largest id of the vocabulary, so its first position is where the largest id is.
        var ids = Ids(Prompt([5, 6, 7], pad: 0), Prompt([5, 2, 2, 8, 9, 10]));
        var expected = model.Forward(ids).PooledOutput;
        TensorAssert.Equal(expected, legacy.Forward(ids).PooledOutput);
    }

    [Fact]
    public void Refuses_more_tokens_than_positions()
    {
        using var scope = DisposeScope.Enter();
        var error = Assert.Throws<ArgumentException>(() => model.Forward(Tensor.Zeros([1, 78], DType.Int64)));
        Assert.Contains("78 tokens exceed the 77 positions", error.Message);
    }

    [Fact]
    public void Repeated_forwards_leave_no_tensor_behind()
    {
        using var ids = Ids(Prompt([5, 6, 7]));
        TensorAssert.NoLeaks(() => model.Forward(ids).Dispose());
    }

    public void Dispose() => model.Dispose();
}
