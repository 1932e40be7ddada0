using System.Globalization;

namespace Zongliang.Web.Hosting;

/// <summary>
/// How numbers read on every page, whatever culture the server's system has: the invariant culture's
/// digits and separators (1,234.5), and percentages written as Chinese documents write them, without a
/// space (51.9%). Dates are always formatted explicitly.
/// </summary>
public static class Formats
{
    public static readonly CultureInfo Pages = Create();

    private static CultureInfo Create()
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.PercentPositivePattern = 1; // n%
        culture.NumberFormat.PercentNegativePattern = 1; // -n%
        return CultureInfo.ReadOnly(culture);
    }

    /// <summary>Makes <see cref="Pages"/> the formatting culture of every thread of the process.</summary>
    public static void UseForPages()
    {
        CultureInfo.DefaultThreadCurrentCulture = Pages;
        CultureInfo.CurrentCulture = Pages;
    }
}
