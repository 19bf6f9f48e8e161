namespace ContextDiffusion.Server;

/// <summary>Configuration section "Server": where the API listens, the keys it bootstraps, and its request limits.</summary>
public sealed class ServerOptions
{
    public const string Section = "Server";

    /// <summary>Semicolon-separated listen URLs; a port of 0 takes a free one (tests).</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>When set, an admin key with this value is stored (hashed) at start unless it exists: the first key of a fresh install.</summary>
    public string? BootstrapApiKey { get; set; }

    /// <summary>Like <see cref="BootstrapApiKey"/>, for a reader key of the same owner.</summary>
    public string? BootstrapReadOnlyKey { get; set; }

    /// <summary>Largest POST /v1/images request (all its files together).</summary>
    public long MaxUploadRequestBytes { get; set; } = 512L << 20;

    /// <summary>Most files in one POST /v1/images request.</summary>
    public int MaxUploadFiles { get; set; } = 1000;

    /// <summary>Largest POST /v1/batches body: 100,000 items of a few hundred bytes each fit.</summary>
    public long MaxSubmitRequestBytes { get; set; } = 128L << 20;

    /// <summary>
    /// Addresses of the reverse proxies (TLS terminators, load balancers) whose X-Forwarded-For and X-Forwarded-Proto
    /// are believed: the client's address then counts for the limits, and HTTPS at the proxy makes cookies Secure.
    /// Loopback is always trusted.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Unknown or revoked API keys one client address may present in a minute before its keyed requests get 429.</summary>
    public int FailedKeysPerMinute { get; set; } = 20;

    /// <summary>Requests a minute to /v1 and /health per API key (per client address for requests without one).</summary>
    public int RequestsPerMinute { get; set; } = 6000;

    /// <summary>POST /v1/images requests one API key may have in progress at once; more wait in line (up to as many again), then get 429.</summary>
    public int UploadsAtOnce { get; set; } = 4;
}
