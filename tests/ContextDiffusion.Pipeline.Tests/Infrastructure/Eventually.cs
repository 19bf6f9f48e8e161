namespace ContextDiffusion.Pipeline.Tests.Infrastructure;

/// <summary>Waiting for what other processes (the outbox dispatcher, a worker) do in their own time.</summary>
public static class Eventually
{
    /// <summary>
    /// Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after <paramref name="timeout"/>
    /// (2 minutes unless given): a bound for what never happens, not a speed to meet, so a loaded machine passes too.
    /// </summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting until {what}");
            await Task.Delay(100);
        }
    }
}
