using Xunit;
using Zongliang.Domain.Quotas;

namespace Zongliang.Domain.Tests.Quotas;

public class QuotaRoutingTests
{
    private static readonly QuotaRouting Rules = QuotaRouting.Load();

    private static Route RouteOf(ApprovalLevel approval, EiaKind eia, double cod, double so2)
    {
        var (route, outcome) = Rules.RouteFor(approval, eia, new Dictionary<string, double> { ["cod"] = cod, ["so2"] = so2 });
        Assert.True(outcome.Succeeded, outcome.Error);
        return route!;
    }

    [Fact]
    public void ProvinceApprovalsGoByTheKindOfEiaDocument()
    {
        var book = RouteOf(ApprovalLevel.Province, EiaKind.Book, 0, 0);
        var form = RouteOf(ApprovalLevel.Province, EiaKind.Form, 50, 50);

        Assert.Equal(["county", "city", "province"], book.Path);
        Assert.Equal(("province", false), (book.Issuer, book.RecordOnly));
        Assert.Equal(["county", "city"], form.Path);
        Assert.Equal(("city", false), (form.Issuer, form.RecordOnly));
    }

    [Theory]
    // At and around every threshold; inclusive; either pollutant lifts the row.
    [InlineData(10, 0, "city", false)]
    [InlineData(9.999, 0, "county", true)]
    [InlineData(0, 20, "city", false)]
    [InlineData(0, 19.999, "county", true)]
    [InlineData(2, 0, "county", true)]
    [InlineData(1.999, 0, "county", false)]
    [InlineData(0, 5, "county", true)]
    [InlineData(0, 4.999, "county", false)]
    [InlineData(1.999, 4.999, "county", false)]
    // The pollutants in different rows: the higher row wins.
    [InlineData(1, 25, "city", false)]
    [InlineData(12, 1, "city", false)]
    [InlineData(3, 1, "county", true)]
    [InlineData(0.5, 6, "county", true)]
    public void CityApprovalsGoByTheAppliedTonnes(double cod, double so2, string issuer, bool recordOnly)
    {
        var route = RouteOf(ApprovalLevel.City, EiaKind.Form, cod, so2);

        Assert.Equal((issuer, recordOnly), (route.Issuer, route.RecordOnly));
        Assert.Equal(issuer == "city" || recordOnly ? ["county", "city"] : new[] { "county" }, route.Path);
    }

    [Fact]
    public void CountyApprovalsStayInTheCountyByDefault()
    {
        var route = RouteOf(ApprovalLevel.County, EiaKind.Book, 30, 40);

        Assert.Equal(["county"], route.Path);
        Assert.Equal(("county", false), (route.Issuer, route.RecordOnly));
    }

    [Fact]
    public void ANegativeAmountIsRefused()
    {
        Assert.False(Rules.RouteFor(ApprovalLevel.City, EiaKind.Form, new Dictionary<string, double> { ["cod"] = -1, ["so2"] = 0 }).Outcome.Succeeded);
    }

    [Fact]
    public void AFileWithAnUnknownOfficeOrNoCatchAllRowIsRefused()
    {
        var text = File.ReadAllText(Path.Combine(Zongliang.Domain.Monitoring.Validity.ValidityProfile.DefaultDirectory, "quota-routing.json"));
        var dir = Directory.CreateTempSubdirectory("routing-").FullName;
        try
        {
            var bad = Path.Combine(dir, "bad.json");
            File.WriteAllText(bad, text.Replace("\"issuer\": \"province\"", "\"issuer\": \"ministry\""));
            Assert.Contains("issuer", Assert.Throws<InvalidDataException>(() => QuotaRouting.Load(bad)).Message);
            File.WriteAllText(bad, text.Replace("\"eia\": null, \"atLeast\": null, \"path\": [\"county\"], \"issuer\": \"county\", \"recordOnly\": false,\n        \"source\": \"§二（二）3", "\"eia\": null, \"atLeast\": { \"cod\": 0.5 }, \"path\": [\"county\"], \"issuer\": \"county\", \"recordOnly\": false,\n        \"source\": \"§二（二）3"));
            Assert.Contains("levels.city", Assert.Throws<InvalidDataException>(() => QuotaRouting.Load(bad)).Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
