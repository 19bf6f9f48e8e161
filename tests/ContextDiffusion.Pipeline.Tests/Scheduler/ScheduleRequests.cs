using System.Net.Http.Json;
using System.Text.Json;
using ContextDiffusion.Contracts.Http;

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
}
