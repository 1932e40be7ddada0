using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Zongliang.Domain.Registry;
using Zongliang.Domain.Warnings;
using Zongliang.Web.Features.Warnings;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Registry;

/// <summary>What a newcomer meets first in the demo.</summary>
public sealed class DemoStoryTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task TheSeededHistoryCountsAsTheDevicesReportsSoNoneIsNeverHeardFrom()
    {
        // Issue 17: "The seeded history counts as communication: devices show their last report, and
        // "offline" only once they fall silent."
        var networked = await factory.QueryAsync(db => db.Devices.Where(d => d.State == DeviceState.Networked).Select(d => d.Id).ToListAsync());
        var heard = await factory.QueryAsync(db => db.DeviceStatuses.Select(s => s.DeviceId).ToListAsync());
        Assert.Empty(networked.Except(heard));

        var city = await factory.SignedInAsync("city");
        Assert.DoesNotContain("从未通信", await city.GetStringAsync("/"));
        Assert.Contains($"{networked.Count} / {networked.Count}", await city.GetStringAsync("/?handler=Dashboard"));
        await factory.Services.GetRequiredService<WarningService>().SweepAsync(TestContext.Current.CancellationToken);
        Assert.False(await factory.QueryAsync(db => db.Warnings.AnyAsync(w => w.Kind == WarningKind.DeviceOffline)));
    }
}
