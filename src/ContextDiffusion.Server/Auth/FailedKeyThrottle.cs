using Microsoft.Extensions.Options;

namespace ContextDiffusion.Server.Auth;

/// <summary>Unknown or revoked API keys per client address: past <see cref="ServerOptions.FailedKeysPerMinute"/> in a minute, that address's unknown keys get 429.</summary>
public sealed class FailedKeyThrottle(IOptions<ServerOptions> options) : FailureThrottle(options.Value.FailedKeysPerMinute, TimeSpan.FromMinutes(1));
