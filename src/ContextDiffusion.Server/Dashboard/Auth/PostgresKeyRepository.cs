using System.Xml.Linq;
using ContextDiffusion.Pipeline.Data;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Server.Dashboard.Auth;

/// <summary>
/// Data-protection keys in PostgreSQL (<see cref="DataProtectionKeyRecord"/>), so dashboard sessions survive a restart
/// and work on every server behind a load balancer. Our own repository rather than the
/// Microsoft.AspNetCore.DataProtection.EntityFrameworkCore package: that one needs the DbContext to implement its
/// interface, which would put an ASP.NET Core package into the Pipeline library that every worker loads.
/// </summary>
public sealed class PostgresKeyRepository(IServiceScopeFactory scopes) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
        return db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList().Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
        db.DataProtectionKeys.Add(new DataProtectionKeyRecord { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
