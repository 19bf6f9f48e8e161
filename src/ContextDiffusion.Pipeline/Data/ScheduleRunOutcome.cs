namespace ContextDiffusion.Pipeline.Data;

/// <summary>How a schedule run ended; a job still executing is Running.</summary>
public enum ScheduleRunOutcome
{
    Running,
    Succeeded,
    Failed,
}
