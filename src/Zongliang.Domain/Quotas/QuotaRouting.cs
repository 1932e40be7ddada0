using System.Text.Json;
using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring.Validity;

namespace Zongliang.Domain.Quotas;

/// <summary>Who approves the EIA document (环评审批级别).</summary>
public enum ApprovalLevel
{
    County = 1,
    City = 2,
    Province = 3,
}

/// <summary>The kind of EIA document: 报告书 (book) or 报告表 (form).</summary>
public enum EiaKind
{
    Book = 1,
    Form = 2,
}

/// <summary>One row of the routing table: conditions (EIA kind, thresholds reached by any pollutant) and the route.</summary>
public sealed record RoutingRow(string? Eia, IReadOnlyDictionary<string, double>? AtLeast, IReadOnlyList<string> Path, string Issuer, bool RecordOnly, string Source, bool IsDefault);

/// <summary>The route of an application: the offices in order, the one that issues the document, and whether the last only recognizes and files it (认定备案).</summary>
public sealed record Route(IReadOnlyList<string> Path, string Issuer, bool RecordOnly, string Source);

/// <summary>
/// Tiered verification (分级核定, Q2) as data: rules/quota-routing.json holds, per approval level,
/// rows from the highest down; the first row whose conditions hold applies. A row's thresholds are
/// inclusive and reached when any one pollutant reaches its own, so when the pollutants fall in
/// different rows the higher row wins.
/// </summary>
public sealed record QuotaRouting(string About, string Source, IReadOnlyDictionary<string, string> Pollutants, IReadOnlyDictionary<string, IReadOnlyList<RoutingRow>> Levels,
    CitedNumber? StepDays = null)
{
    /// <summary>Days each office has for its review (10 when the file does not say).</summary>
    public int DaysPerStep => StepDays is { Value: > 0 } d ? (int)d.Value : 10;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true };

    public static readonly string[] Offices = ["county", "city", "province"];

    public static QuotaRouting Load(string? path = null)
    {
        path ??= Path.Combine(ValidityProfile.DefaultDirectory, "quota-routing.json");
        QuotaRouting? routing;
        try
        {
            using var stream = File.OpenRead(path);
            routing = JsonSerializer.Deserialize<QuotaRouting>(stream, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        if (routing is null)
            throw new InvalidDataException($"{path}: empty");
        var problems = routing.Problems().ToList();
        if (problems.Count > 0)
            throw new InvalidDataException($"{path}: {string.Join("; ", problems)}");
        return routing;
    }

    public IEnumerable<string> Problems()
    {
        foreach (var level in new[] { "county", "city", "province" })
        {
            if (!Levels.TryGetValue(level, out var rows) || rows.Count == 0)
            {
                yield return $"levels.{level} has no rows";
                continue;
            }
            if (!rows.Any(r => r.AtLeast is null && r.Eia is null) && !(rows.Any(r => r.Eia == "book") && rows.Any(r => r.Eia == "form")))
                yield return $"levels.{level} has no row for every case (a last row without conditions, or one per EIA kind)";
            foreach (var r in rows)
            {
                if (r.Path.Count == 0 || r.Path.Any(o => !Offices.Contains(o)) || !Offices.Contains(r.Issuer) || !r.Path.Contains(r.Issuer))
                    yield return $"levels.{level}: a row's path and issuer must be offices of {string.Join("/", Offices)}, the issuer on the path";
                if (r.AtLeast is not null && r.AtLeast.Keys.Any(k => !Pollutants.ContainsKey(k)))
                    yield return $"levels.{level}: a threshold names a pollutant not in \"pollutants\"";
                if (r.Eia is not (null or "book" or "form"))
                    yield return $"levels.{level}: eia is book, form or null";
            }
        }
    }

    /// <summary>The route for an application; refused for a negative or missing amount.</summary>
    public (Route? Route, Outcome Outcome) RouteFor(ApprovalLevel approval, EiaKind eia, IReadOnlyDictionary<string, double> tonnesPerYear)
    {
        foreach (var (pollutant, amount) in tonnesPerYear)
            if (amount < 0 || double.IsNaN(amount))
                return (null, Outcome.Refuse($"{pollutant} 申请量不能为负数", pollutant));
        var rows = Levels[approval.ToString().ToLowerInvariant()];
        var kind = eia == EiaKind.Book ? "book" : "form";
        foreach (var row in rows)
        {
            if (row.Eia is not null && row.Eia != kind)
                continue;
            if (row.AtLeast is not null && !row.AtLeast.Any(t => tonnesPerYear.TryGetValue(t.Key, out var amount) && amount >= t.Value))
                continue;
            return (new Route(row.Path, row.Issuer, row.RecordOnly, row.Source), Outcome.Ok());
        }
        return (null, Outcome.Refuse("核定路径规则中没有适用的行"));
    }
}
