using Microsoft.Extensions.Options;
using Xunit;
using Zongliang.Data;
using Zongliang.Data.Monitoring;
using Zongliang.Web.Features.Ingestion;

namespace Zongliang.Web.Tests.Ingestion;

public class IngestQueueTests
{
    private static IngestRecord Record(int device) => new(device, 1, "test", DateTime.UtcNow, [], 2011, null, []);

    [Fact]
    public void ADevicesFramesAlwaysTakeTheSameLaneSoItsChainStaysInOrder()
    {
        var queue = new IngestQueue(Options.Create(new Hj212Options { Writers = 3 }), new DatabaseSettings(DatabaseProvider.PostgreSql, "", null));
        Assert.Equal(3, queue.Lanes);
        foreach (var device in new[] { 1, 2, 3, 4, 5, 1, 4, 7 })
            _ = queue.StoreAsync(Record(device), TestContext.Current.CancellationToken);
        var lanes = Enumerable.Range(0, 3).Select(lane =>
        {
            var seen = new List<int>();
            while (queue.Reader(lane).TryRead(out var item)) seen.Add(item.Record.DeviceId);
            return seen;
        }).ToList();
        Assert.Equal([3], lanes[0]);
        Assert.Equal([1, 4, 1, 4, 7], lanes[1]);
        Assert.Equal([2, 5], lanes[2]);
    }

    [Fact]
    public void SqliteHasOneWriterWhateverIsConfigured()
    {
        var queue = new IngestQueue(Options.Create(new Hj212Options { Writers = 4 }), new DatabaseSettings(DatabaseProvider.Sqlite, "", null));
        Assert.Equal(1, queue.Lanes);
        Assert.Equal(2, new IngestQueue(Options.Create(new Hj212Options()), new DatabaseSettings(DatabaseProvider.PostgreSql, "", null)).Lanes);
    }
}
