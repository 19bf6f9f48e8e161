namespace ContextDiffusion.Scheduler.Schedules;

/// <summary>Why a schedule run happened, as recorded in its history.</summary>
public static class ScheduleCauses
{
    public const string Cron = "cron";
    public const string Manual = "manual";
    public const string Retry = "retry";

    /// <summary>A cron firing that ran later than the misfire threshold (the cluster was down or busy): the misfire policy fired it.</summary>
    public const string Misfire = "misfire";
}
