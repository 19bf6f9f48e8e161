using ContextDiffusion.Cli.Submission;
using ContextDiffusion.Model.Data;

namespace ContextDiffusion.Cli.Tests;

public sealed class SubmissionPlannerTests
{
    private static readonly DatasetManifest Manifest = SharedData.Manifest;

    [Fact]
    public void Held_out_items_are_the_ones_evaluation_takes_in_manifest_order()
    {
        var planned = SubmissionPlanner.Plan(Manifest, limit: 20, heldOut: true, contexts: 2);
        var expected = Manifest.Items.Where(i => HoldOutSplit.IsHeldOut(i.Id, 0.1)).Take(20).Select(i => i.Id);
        Assert.Equal(expected, planned.Select(p => p.ExternalId));
    }

    [Fact]
    public void Without_held_out_items_are_taken_from_the_start_of_the_manifest()
    {
        var planned = SubmissionPlanner.Plan(Manifest, limit: 7, heldOut: false, contexts: 1);
        Assert.Equal(Manifest.Items.Take(7).Select(i => i.Id), planned.Select(p => p.ExternalId));
    }

    [Fact]
    public void Each_item_has_its_query_map_prompt_and_distinct_other_photos_of_its_domain()
    {
        var byImage = Manifest.Items.ToDictionary(i => i.Image);
        foreach (var item in SubmissionPlanner.Plan(Manifest, limit: null, heldOut: true, contexts: 3))
        {
            var source = Manifest.Items.Single(i => i.Id == item.ExternalId);
            Assert.Equal(source.QueryMap, item.Query);
            Assert.Equal(PromptTemplates.For(source.Domain), item.Prompt);
            Assert.Equal(3, item.Context.Distinct().Count());
            foreach (var context in item.Context.Select(c => byImage[c]))
            {
                Assert.Equal(source.Domain, context.Domain);
                Assert.NotEqual(source.Id, context.Id);
                // Held-out items are generated with training photos as context, as evaluation does.
                Assert.False(HoldOutSplit.IsHeldOut(context.Id, 0.1));
            }
        }
    }

    [Fact]
    public void An_items_context_does_not_depend_on_what_else_is_selected()
    {
        var few = SubmissionPlanner.Plan(Manifest, limit: 5, heldOut: false, contexts: 2);
        var many = SubmissionPlanner.Plan(Manifest, limit: 200, heldOut: false, contexts: 2);
        var again = SubmissionPlanner.Plan(Manifest, limit: 5, heldOut: false, contexts: 2);
        Assert.Equal(few.Select(p => p.Context), many.Take(5).Select(p => p.Context));
        Assert.Equal(few.Select(p => p.Context), again.Select(p => p.Context));
    }

    [Fact]
    public void Contexts_vary_between_items()
    {
        var planned = SubmissionPlanner.Plan(Manifest, limit: 50, heldOut: false, contexts: 2);
        Assert.True(planned.Select(p => p.Context[0]).Distinct().Count() > 25);
    }

    [Fact]
    public void Bad_counts_are_refused()
    {
        Assert.Throws<ArgumentException>(() => SubmissionPlanner.Plan(Manifest, limit: 5, heldOut: false, contexts: 0));
        Assert.Throws<ArgumentException>(() => SubmissionPlanner.Plan(Manifest, limit: 0, heldOut: false, contexts: 1));
    }
}
