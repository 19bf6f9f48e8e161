namespace ContextDiffusion.Pipeline.Messaging;

/// <summary>Configuration section "RabbitMq": the broker, and its management API (queue depths for the dashboard and for recovery).</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    public Uri Uri { get; set; } = new("amqp://cdiff:cdiff@127.0.0.1:55672/");
    public Uri? ManagementUri { get; set; }
}
