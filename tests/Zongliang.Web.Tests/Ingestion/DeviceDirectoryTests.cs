using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using Zongliang.Domain.Registry;
using Zongliang.Web.Features.Ingestion;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Ingestion;

/// <summary>
/// The device directory under many frames at once: 5,000 connections may ask in the same moment,
/// and none of them may turn into a load of its own.
/// </summary>
public sealed class DeviceDirectoryTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    private (DeviceDirectory Directory, FakeTimeProvider Clock) NewDirectory()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 2, 0, 0, TimeSpan.Zero));
        var directory = new DeviceDirectory(factory.Services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new Hj212Options { DirectoryRefresh = TimeSpan.FromSeconds(30) }), clock, NullLogger<DeviceDirectory>.Instance);
        return (directory, clock);
    }

    private Task<string> NetworkedMnAsync() =>
        factory.QueryAsync(db => db.Devices.Where(d => d.State == DeviceState.Networked).OrderBy(d => d.Id).Select(d => d.Mn).FirstAsync());

    [Fact]
    public async Task ManyFramesAtOnceForAnUnknownMnLoadTheListOnce()
    {
        var known = await NetworkedMnAsync();
        var (directory, clock) = NewDirectory();
        Assert.NotNull(await directory.FindAsync(known, TestContext.Current.CancellationToken));
        Assert.Equal(1, directory.Loads);

        clock.Advance(DeviceDirectory.UnknownMnReload + TimeSpan.FromSeconds(1));
        var asked = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ =>
            Task.Run(async () => await directory.FindAsync("NOSUCHMN0000000000000000", TestContext.Current.CancellationToken))));
        Assert.All(asked, Assert.Null);
        Assert.Equal(2, directory.Loads);

        // Within the next few seconds, more unknown MNs do not load it again.
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await directory.FindAsync("NOSUCHMN0000000000000001", TestContext.Current.CancellationToken));
        Assert.Equal(2, directory.Loads);
    }

    [Fact]
    public async Task AStaleListIsRefreshedOnceInTheBackgroundWhileFramesAreCheckedAgainstTheOldOne()
    {
        var known = await NetworkedMnAsync();
        var (directory, clock) = NewDirectory();
        await directory.FindAsync(known, TestContext.Current.CancellationToken);

        clock.Advance(TimeSpan.FromSeconds(31));
        var found = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ =>
            Task.Run(async () => await directory.FindAsync(known, TestContext.Current.CancellationToken))));
        Assert.All(found, e => Assert.Equal(known, e!.Mn));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (directory.Loads < 2 && DateTime.UtcNow < deadline) await Task.Delay(20, TestContext.Current.CancellationToken);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Equal(2, directory.Loads);
    }
}
