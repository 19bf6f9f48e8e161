using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace ContextDiffusion.Scheduler.Schedules;

/// <summary>
/// Schedules as the API changes them: the row in PostgreSQL (what people read) and the job and trigger in
/// Quartz (what fires) kept in step. The row is written first, so a name taken twice fails before Quartz is
/// touched; if Quartz then refuses, the row change is undone.
/// </summary>
public sealed class ScheduleService(PipelineDbContext db, SchedulerNode node, IOptions<SchedulerOptions> options, IOptions<S3Options> storage)
{
    private IScheduler Scheduler => node.Scheduler;

    public async Task<ScheduleView> CreateAsync(ScheduleRequest request, CancellationToken cancellation)
    {
        var schedule = ScheduleValidator.Parse(request, request.Name, storage.Value);
        if (await db.Schedules.AnyAsync(s => s.Name == schedule.Name, cancellation)) throw new ScheduleExistsException(schedule.Name);
        db.Schedules.Add(schedule);
        try
        {
            await db.SaveChangesAsync(cancellation);
        }
        catch (DbUpdateException)
        {
            throw new ScheduleExistsException(schedule.Name);
        }
        try
        {
            await ScheduleJobs.StoreAsync(Scheduler, schedule, cancellation);
        }
        catch
        {
            db.Schedules.Remove(schedule);
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        return await ViewAsync(schedule, cancellation);
    }

    /// <summary>Replaces the definition; the history stays. Changing the kind is allowed: the job is replaced with the new kind's.</summary>
    public async Task<ScheduleView> UpdateAsync(string name, ScheduleRequest request, CancellationToken cancellation)
    {
        var existing = await FindAsync(name, cancellation);
        var changed = ScheduleValidator.Parse(request, name, storage.Value);
        existing.Kind = changed.Kind;
        existing.Cron = changed.Cron;
        existing.ParametersJson = changed.ParametersJson;
        existing.Enabled = changed.Enabled;
        existing.Misfire = changed.Misfire;
        existing.Description = changed.Description;
        existing.UpdatedAt = DateTimeOffset.UtcNow;
        await ScheduleJobs.StoreAsync(Scheduler, existing, cancellation);
        await db.SaveChangesAsync(cancellation);
        return await ViewAsync(existing, cancellation);
    }

    /// <summary>Removes the schedule, its Quartz job (and so its triggers and pending retries) and its history.</summary>
    public async Task DeleteAsync(string name, CancellationToken cancellation)
    {
        var schedule = await FindAsync(name, cancellation);
        await Scheduler.DeleteJob(ScheduleKeys.Job(name), cancellation);
        db.Schedules.Remove(schedule);
        await db.SaveChangesAsync(cancellation);
    }

    public Task<ScheduleView> PauseAsync(string name, CancellationToken cancellation) => SetEnabledAsync(name, false, cancellation);

    public Task<ScheduleView> ResumeAsync(string name, CancellationToken cancellation) => SetEnabledAsync(name, true, cancellation);

    /// <summary>Fires the schedule's job once now, on whichever node of the cluster takes it; a paused schedule can be triggered too.</summary>
    public async Task<ScheduleView> TriggerAsync(string name, CancellationToken cancellation)
    {
        var schedule = await FindAsync(name, cancellation);
        await Scheduler.TriggerJob(ScheduleKeys.Job(name), new JobDataMap { [ScheduleKeys.Cause] = ScheduleCauses.Manual }, cancellation);
        return await ViewAsync(schedule, cancellation);
    }

    public async Task<IReadOnlyList<ScheduleView>> ListAsync(CancellationToken cancellation)
    {
        var schedules = await db.Schedules.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellation);
        var views = new List<ScheduleView>(schedules.Count);
        foreach (var schedule in schedules) views.Add(await ViewAsync(schedule, cancellation));
        return views;
    }

    public async Task<ScheduleView> GetAsync(string name, CancellationToken cancellation) => await ViewAsync(await FindAsync(name, cancellation), cancellation);

    /// <summary>Newest first.</summary>
    public async Task<IReadOnlyList<ScheduleRunView>> RunsAsync(string name, int limit, CancellationToken cancellation)
    {
        await FindAsync(name, cancellation);
        var runs = await db.ScheduleRuns.AsNoTracking().Where(r => r.ScheduleName == name)
            .OrderByDescending(r => r.StartedAt).Take(limit).ToListAsync(cancellation);
        return runs.Select(ScheduleViews.Run).ToList();
    }

    private async Task<ScheduleView> SetEnabledAsync(string name, bool enabled, CancellationToken cancellation)
    {
        var schedule = await FindAsync(name, cancellation);
        if (enabled) await Scheduler.ResumeJob(ScheduleKeys.Job(name), cancellation);
        else await Scheduler.PauseJob(ScheduleKeys.Job(name), cancellation);
        schedule.Enabled = enabled;
        schedule.UpdatedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(cancellation);
        return await ViewAsync(schedule, cancellation);
    }

    private async Task<ScheduleRecord> FindAsync(string name, CancellationToken cancellation) =>
        await db.Schedules.FindAsync([name], cancellation) ?? throw new ScheduleNotFoundException(name);

    /// <summary>A paused schedule shows no next fire times: it has none until it is resumed.</summary>
    private async Task<ScheduleView> ViewAsync(ScheduleRecord schedule, CancellationToken cancellation)
    {
        var state = await Scheduler.GetTriggerState(ScheduleKeys.Trigger(schedule.Name), cancellation);
        var next = schedule.Enabled ? CronTimes.Next(schedule.Cron, options.Value.NextFireTimes, DateTimeOffset.UtcNow) : [];
        var lastRun = await db.ScheduleRuns.AsNoTracking().Where(r => r.ScheduleName == schedule.Name)
            .OrderByDescending(r => r.StartedAt).FirstOrDefaultAsync(cancellation);
        return ScheduleViews.View(schedule, state.ToString(), next, lastRun);
    }
}
