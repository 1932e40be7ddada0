using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Zongliang.Domain.Quotas;

namespace Zongliang.Cli;

/// <summary>`zl quota route`: which offices verify a project's quota, from the routing rule file.</summary>
public static class QuotaCommands
{
    public static Command Create()
    {
        var approval = new Option<string>("--approval") { Description = "Who approves the EIA: province, city or county", Required = true };
        var eia = new Option<string>("--eia") { Description = "EIA document: book (报告书) or form (报告表)", Required = true };
        var cod = new Option<double?>("--cod") { Description = "Applied COD, t/a", Required = true };
        var so2 = new Option<double?>("--so2") { Description = "Applied SO2, t/a", Required = true };
        var rules = new Option<string?>("--rules") { Description = "Routing rule file; default: rules/quota-routing.json beside zl" };
        var route = new Command("route", "Print the verification route of a project as one JSON line {\"path\", \"issuer\", \"recordOnly\"}")
        {
            approval, eia, cod, so2, rules,
        };
        route.SetAction(async (pr, ct) =>
        {
            if (!Enum.TryParse<ApprovalLevel>(pr.GetValue(approval), ignoreCase: true, out var level) || !Enum.IsDefined(level) || int.TryParse(pr.GetValue(approval), out _))
                return await FailAsync("--approval is province, city or county");
            var kind = pr.GetValue(eia)?.ToLowerInvariant() switch { "book" => EiaKind.Book, "form" => EiaKind.Form, _ => (EiaKind?)null };
            if (kind is null)
                return await FailAsync("--eia is book (报告书) or form (报告表)");
            QuotaRouting routing;
            try
            {
                routing = QuotaRouting.Load(pr.GetValue(rules));
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                return await FailAsync(e.Message);
            }
            var (result, outcome) = routing.RouteFor(level, kind.Value, new Dictionary<string, double> { ["cod"] = pr.GetValue(cod)!.Value, ["so2"] = pr.GetValue(so2)!.Value });
            if (!outcome.Succeeded)
                return await FailAsync(outcome.Error!);
            await using var stdout = Console.OpenStandardOutput();
            using (var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                w.WriteStartArray("path");
                foreach (var office in result!.Path)
                    w.WriteStringValue(office);
                w.WriteEndArray();
                w.WriteString("issuer", result.Issuer);
                w.WriteBoolean("recordOnly", result.RecordOnly);
                w.WriteEndObject();
            }
            stdout.WriteByte((byte)'\n');
            return 0;
        });
        return new Command("quota", "Total-quota verification (总量核定)") { route };
    }

    private static async Task<int> FailAsync(string message)
    {
        await Console.Error.WriteLineAsync($"zl: {message}");
        return 2;
    }
}
