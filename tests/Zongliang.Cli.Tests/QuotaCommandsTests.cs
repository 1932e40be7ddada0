using Xunit;

namespace Zongliang.Cli.Tests;

/// <summary>`zl quota route`: the contract other tools call.</summary>
public sealed class QuotaCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zl-quota-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<(int Code, string Out, string Err)> RouteAsync(params string[] args) => ZlProcess.RunAsync(_dir, "", ["quota", "route", .. args]);

    [Theory]
    [InlineData("province", "book", "0", "0", "{\"path\":[\"county\",\"city\",\"province\"],\"issuer\":\"province\",\"recordOnly\":false}")]
    [InlineData("province", "form", "0", "0", "{\"path\":[\"county\",\"city\"],\"issuer\":\"city\",\"recordOnly\":false}")]
    [InlineData("city", "form", "10", "0", "{\"path\":[\"county\",\"city\"],\"issuer\":\"city\",\"recordOnly\":false}")]
    [InlineData("city", "book", "2", "19.9", "{\"path\":[\"county\",\"city\"],\"issuer\":\"county\",\"recordOnly\":true}")]
    [InlineData("city", "form", "1.5", "4", "{\"path\":[\"county\"],\"issuer\":\"county\",\"recordOnly\":false}")]
    [InlineData("county", "book", "30", "40", "{\"path\":[\"county\"],\"issuer\":\"county\",\"recordOnly\":false}")]
    public async Task PrintsOneJsonLineWithThePathTheIssuerAndWhetherItIsOnlyFiled(string approval, string eia, string cod, string so2, string expected)
    {
        var (code, stdout, stderr) = await RouteAsync("--approval", approval, "--eia", eia, "--cod", cod, "--so2", so2);

        Assert.True(code == 0, stderr);
        Assert.Equal(expected + "\n", stdout);
    }

    [Theory]
    [InlineData("--approval", "ministry", "--eia", "book", "--cod", "1", "--so2", "1")]
    [InlineData("--approval", "city", "--eia", "letter", "--cod", "1", "--so2", "1")]
    [InlineData("--approval", "city", "--eia", "form", "--cod", "-1", "--so2", "1")]
    [InlineData("--approval", "city", "--eia", "form", "--cod", "abc", "--so2", "1")]
    [InlineData("--approval", "city", "--eia", "form", "--cod", "1")]
    public async Task BadArgumentsGetAMessageAndANonZeroExit(params string[] args)
    {
        var (code, stdout, stderr) = await RouteAsync(args);

        Assert.NotEqual(0, code);
        Assert.DoesNotContain("{\"path\":[", stdout); // no route printed (a parse error may print the usage)
        Assert.NotEqual("", stderr.Trim());
    }

    [Fact]
    public async Task AnotherCitysRuleFileIsUsedWithoutARebuild()
    {
        var file = Path.Combine(_dir, "other-city.json");
        File.WriteAllText(file, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "rules", "quota-routing.json"))
            .Replace("\"atLeast\": { \"cod\": 10, \"so2\": 20 }", "\"atLeast\": { \"cod\": 5, \"so2\": 10 }"));

        var shipped = await RouteAsync("--approval", "city", "--eia", "form", "--cod", "6", "--so2", "0");
        var other = await RouteAsync("--approval", "city", "--eia", "form", "--cod", "6", "--so2", "0", "--rules", file);

        Assert.Contains("\"recordOnly\":true", shipped.Out);
        Assert.Contains("\"issuer\":\"city\",\"recordOnly\":false", other.Out);
    }
}
