namespace ContextDiffusion.Scheduler.Schedules;

/// <summary>No schedule has this name.</summary>
public sealed class ScheduleNotFoundException(string name) : Exception($"no schedule named '{name}'");
