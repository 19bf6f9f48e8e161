namespace ContextDiffusion.Pipeline.Data;

/// <summary>What a schedule does about firings it missed (every scheduler was down, or all its threads were busy).</summary>
public enum MisfirePolicy
{
    /// <summary>Fire once as soon as possible, however many firings were missed, then follow the cron again.</summary>
    FireOnceNow,
    /// <summary>Skip what was missed and wait for the next firing.</summary>
    DoNothing,
}
