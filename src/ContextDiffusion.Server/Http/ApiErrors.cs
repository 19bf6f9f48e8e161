using ContextDiffusion.Contracts.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContextDiffusion.Server.Http;

/// <summary>The <see cref="ApiError"/> results every endpoint answers with when something is wrong.</summary>
public static class ApiErrors
{
    /// <summary>Most problems listed in one error; a batch of 100,000 bad items says how many more there were.</summary>
    public const int MaxDetails = 100;

    public static BadRequest<ApiError> BadRequest(string error) => TypedResults.BadRequest(new ApiError(error));

    /// <summary>A 400 naming the first problem in <see cref="ApiError.Error"/> and up to <see cref="MaxDetails"/> of them in the details.</summary>
    public static BadRequest<ApiError> BadRequest(IReadOnlyList<string> problems)
    {
        var details = problems.Take(MaxDetails).ToList();
        if (problems.Count > MaxDetails) details.Add($"... and {problems.Count - MaxDetails} more");
        var error = problems.Count == 1 ? problems[0] : $"{problems.Count} problems, the first: {problems[0]}";
        return TypedResults.BadRequest(new ApiError(error, details));
    }

    public static NotFound<ApiError> NotFound(string error) => TypedResults.NotFound(new ApiError(error));

    public static Conflict<ApiError> Conflict(string error) => TypedResults.Conflict(new ApiError(error));

    public static JsonHttpResult<ApiError> Status(int status, string error, IReadOnlyList<string>? details = null) =>
        TypedResults.Json(new ApiError(error, details), statusCode: status);
}
