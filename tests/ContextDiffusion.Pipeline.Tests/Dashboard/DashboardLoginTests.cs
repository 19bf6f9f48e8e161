using System.Net;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using ContextDiffusion.Server.Dashboard.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Pipeline.Tests.Dashboard;

/// <summary>
/// Dashboard logins over plain HTTP: a session made by one server is good on another sharing the database (the
/// signing keys live in PostgreSQL); repeated failures lock a name out, its right password included; a session
/// ends as soon as its user's password changes. The latter two run on servers of their own, whose users they change.
/// </summary>
[Collection(PipelineCollection.Name)]
public sealed class DashboardLoginTests(PipelineFixture fixture)
{
    [Fact]
    public async Task A_session_from_one_server_is_good_on_another()
    {
        using var session = new DashboardSession(fixture.BaseAddress);
        Assert.Equal(HttpStatusCode.SeeOther, await session.LoginAsync(fixture.DashboardAdmin));
        await using var other = await ExtraServer.StartAsync(fixture);
        using var elsewhere = session.On(other.Address);
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.Client.GetAsync("/dashboard/batches")).StatusCode);
    }

    [Fact]
    public async Task Past_its_failures_a_name_is_locked_out_even_with_its_password()
    {
        await using var server = await ExtraServer.StartAsync(fixture, ("Dashboard:LoginFailuresAllowed", "2"));
        using var session = new DashboardSession(server.Address);
        var (name, password) = fixture.DashboardReader;
        Assert.Equal(HttpStatusCode.Unauthorized, await session.LoginAsync((name, "wrong-1")));
        Assert.Equal(HttpStatusCode.Unauthorized, await session.LoginAsync((name, "wrong-2")));
        Assert.Equal(HttpStatusCode.TooManyRequests, await session.LoginAsync((name, password)));
    }

    [Fact]
    public async Task A_session_ends_when_its_users_password_changes()
    {
        await using var server = await ExtraServer.StartAsync(fixture);
        using var session = new DashboardSession(server.Address);
        Assert.Equal(HttpStatusCode.SeeOther, await session.LoginAsync(fixture.DashboardAdmin));
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/dashboard/batches")).StatusCode);

        var configuration = (IConfigurationRoot)server.Host.Services.GetRequiredService<IConfiguration>();
        configuration["Dashboard:Users:0:Password"] = DashboardPasswords.Hash("a new password");
        configuration.Reload();
        var after = await session.Client.GetAsync("/dashboard/batches");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/dashboard/login", after.Headers.Location?.AbsolutePath);
    }
}
