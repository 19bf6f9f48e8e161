namespace ContextDiffusion.Cli.Submission;

/// <summary>One item a submit will send, before upload: files are paths relative to the dataset folder.</summary>
public sealed record PlannedItem(string ExternalId, string Domain, string Query, IReadOnlyList<string> Context, string Prompt);
