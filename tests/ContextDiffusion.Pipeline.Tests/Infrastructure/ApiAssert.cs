using System.Net;
using System.Net.Http.Json;
using ContextDiffusion.Contracts.Http;

namespace ContextDiffusion.Pipeline.Tests.Infrastructure;

/// <summary>Assertions on API answers that show the body when they fail.</summary>
public static class ApiAssert
{
    /// <summary>The response has <paramref name="status"/> and an <see cref="ApiError"/> whose error contains <paramref name="expected"/>.</summary>
    public static async Task<ApiError> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        var error = (await response.Content.ReadFromJsonAsync<ApiError>())!;
        Assert.Contains(expected, error.Error);
        return error;
    }

    /// <summary>The response has <paramref name="status"/>; its body as <typeparamref name="T"/>.</summary>
    public static async Task<T> JsonAsync<T>(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }
}
