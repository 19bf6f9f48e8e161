using System.Security.Claims;
using System.Text.Encodings.Web;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Server.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Server.Auth;

/// <summary>
/// The API's authentication scheme: the key in <see cref="ApiKeys.Header"/>, looked up by its hash among the
/// unrevoked keys, becomes a user named after the key with its role and owner (<see cref="ApiCaller"/>).
/// Refusals are <see cref="Contracts.Http.ApiError"/>s that say what is missing: 401 without a key or with an
/// unknown or revoked one, 429 for an unknown key from an address that has tried too many (<see cref="FailedKeyThrottle"/>;
/// a valid key is still served, so one guesser behind a shared address locks out nobody else), 403 naming the role
/// the endpoint needs.
/// </summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, FailedKeyThrottle throttle)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    private static readonly object Refusal = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers[ApiKeys.Header].ToString();
        if (presented.Length == 0) return AuthenticateResult.NoResult();
        var address = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var db = Context.RequestServices.GetRequiredService<PipelineDbContext>();
        var key = await ApiKeys.FindAsync(db, presented, Context.RequestAborted);
        if (key is null)
        {
            if (throttle.IsBlocked(address))
            {
                Context.Items[Refusal] = StatusCodes.Status429TooManyRequests;
                return AuthenticateResult.Fail("too many unknown or revoked API keys from this address; try again in a minute");
            }
            throttle.RecordFailure(address);
            return AuthenticateResult.Fail($"the API key in {ApiKeys.Header} is unknown or revoked");
        }
        Claim[] claims = [new(ClaimTypes.Name, key.Name), new(ClaimTypes.Role, key.Role.ToString()), new(ApiCaller.OwnerClaim, key.Owner)];
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await AuthenticateAsync();
        var status = Context.Items[Refusal] as int? ?? StatusCodes.Status401Unauthorized;
        if (status == StatusCodes.Status429TooManyRequests) Response.Headers.RetryAfter = "60";
        var error = result.Failure?.Message ?? $"{Request.Method} {Request.Path} needs an API key in the {ApiKeys.Header} header";
        await ApiErrors.Status(status, error).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var caller = ApiCaller.From(Context.User);
        var needed = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => a.Policy is { } policy ? ApiPolicies.RoleOf(policy) : null).LastOrDefault(r => r is not null) ?? "different";
        var who = caller is null ? "this API key" : $"API key '{caller.KeyName}' ({caller.Role.ToString().ToLowerInvariant()})";
        return ApiErrors.Status(StatusCodes.Status403Forbidden, $"{who} may not {Request.Method} {Request.Path}; it needs a key with the {needed} role").ExecuteAsync(Context);
    }
}
