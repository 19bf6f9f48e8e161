namespace ContextDiffusion.Scheduler.Schedules;

/// <summary>A schedule of this name exists already: PUT /v1/schedules/{name} changes it.</summary>
public sealed class ScheduleExistsException(string name) : Exception($"a schedule named '{name}' exists already; PUT /v1/schedules/{name} changes it");
