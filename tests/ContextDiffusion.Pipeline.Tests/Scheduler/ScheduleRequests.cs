using System.Net.Http.Json;
using System.Text.Json;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Tests.Infrastructure;

namespace ContextDiffusion.Pipeline.Tests.Scheduler;

/// <summary>Schedule requests the tests send: a preprocess schedule only publishes a command, so it fires cheaply.</summary>
public static class ScheduleRequests
{
    public const string EverySecond = "* * * * * ?";
    public const string DailyAt3 = "0 0 3 * * ?";

    public static string NewName() => "test-" + Guid.NewGuid().ToString("N")[..10];

    public static ScheduleRequest Preprocess(string name, string cron = EverySecond, bool enabled = true) => new()
    {
        Name = name, Kind = "preprocess", Cron = cron, Enabled = enabled,
        Parameters = JsonSerializer.SerializeToElement(new { source = "/data/raw", name = "facades", resolution = 64 }),
    };

    public static async Task<List<ScheduleRunView>> RunsAsync(HttpClient client, string name) =>
        (await client.GetFromJsonAsync<List<ScheduleRunView>>($"/v1/schedules/{name}/runs?limit=500"))!;

    /// <summary>Triggers schedule <paramref name="name"/> now and returns the run it made, once that ended.</summary>
    public static async Task<ScheduleRunView> TriggerAsync(HttpClient client, string name)
    {
        var before = (await RunsAsync(client, name)).Count;
        await ApiAssert.JsonAsync<ScheduleView>(await client.PostAsync($"/v1/schedules/{name}/trigger", null));
        ScheduleRunView? run = null;
        await Eventually.TrueAsync(async () =>
        {
            var runs = await RunsAsync(client, name);
            run = runs.Count > before ? runs[0] : null;
            return run?.EndedAt is not null;
        }, $"the triggered run of {name} ended");
        return run!;
    }
}
