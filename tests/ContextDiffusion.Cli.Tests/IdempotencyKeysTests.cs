using ContextDiffusion.Cli.Submission;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;

namespace ContextDiffusion.Cli.Tests;

public sealed class IdempotencyKeysTests
{
    private static SubmitBatchRequest Request(int steps = 25, string queryKey = "uploads/ab/abc.png") => new()
    {
        Name = "demo",
        Sampling = new SamplingParameters { Steps = steps },
        Items =
        [
            new SubmitItem
            {
                ExternalId = "facades/cmp_b0001",
                Query = new ObjectReference("cdiff-images", queryKey),
                Context = [new ContextImage(new ObjectReference("cdiff-images", "uploads/cd/cde.jpg"))],
                Prompt = "a photo of a building facade",
            },
        ],
    };

    [Fact]
    public void The_same_request_gets_the_same_key()
    {
        Assert.Equal(IdempotencyKeys.For(Request()), IdempotencyKeys.For(Request()));
        Assert.StartsWith("cdiff-submit-", IdempotencyKeys.For(Request()));
    }

    [Fact]
    public void A_key_already_in_the_request_does_not_change_it()
    {
        var request = Request();
        Assert.Equal(IdempotencyKeys.For(request), IdempotencyKeys.For(request with { IdempotencyKey = IdempotencyKeys.For(request) }));
    }

    [Fact]
    public void Other_options_or_other_images_get_other_keys()
    {
        var key = IdempotencyKeys.For(Request());
        Assert.NotEqual(key, IdempotencyKeys.For(Request(steps: 10)));
        Assert.NotEqual(key, IdempotencyKeys.For(Request(queryKey: "uploads/ff/fff.png")));
        Assert.NotEqual(key, IdempotencyKeys.For(Request() with { Priority = 5 }));
        Assert.NotEqual(key, IdempotencyKeys.For(Request() with { Model = "tiny" }));
    }
}
