using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Zongliang.Data;
using Zongliang.Domain.Common;
using Zongliang.Domain.Quotas;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Quotas;

/// <summary>总量台账: each county's ledger line for a year and pollutant, and the city as their sum.</summary>
[Authorize(Policy = Policies.QuotaLedger)]
public sealed class LedgerModel(ZongliangDbContext db, TimeProvider clock) : PageModel
{
    public int Year { get; private set; }
    public string Pollutant { get; private set; } = "cod";
    public IReadOnlyList<LedgerRow> Rows { get; private set; } = [];
    public LedgerLine? City { get; private set; }

    public async Task OnGetAsync(int? year, string? pollutant, CancellationToken ct)
    {
        Year = year is >= 2000 and <= 2100 ? year.Value : BeijingTime.Today(clock).Year;
        Pollutant = pollutant is { } p && Pollutants.All.Contains(p) ? p : "cod";
        (var rows, City) = await LedgerQueries.LinesAsync(db, Year, Pollutant, ct);
        Rows = rows;
    }

    public static string T(decimal v) => v.ToString("#,0.0", CultureInfo.InvariantCulture);

    public static string Percent(decimal? v) => v is { } x ? (x * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";
}
