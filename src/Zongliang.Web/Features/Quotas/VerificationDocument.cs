using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using Zongliang.Domain.Quotas;

namespace Zongliang.Web.Features.Quotas;

/// <summary>
/// The font faces the platform embeds in its PDF documents: Noto Serif SC (regular and bold) from
/// npm, copied beside the program at build time. PDFsharp embeds the glyphs a document uses only.
/// </summary>
public sealed class DocumentFonts : IFontResolver
{
    public const string Family = "Noto Serif SC";
    private static readonly Lock Gate = new();
    private static bool _installed;

    private readonly string _directory;

    private DocumentFonts(string directory) => _directory = directory;

    /// <summary>Installs the resolver once per process (PDFsharp's font settings are global).</summary>
    public static void Install(string? directory = null)
    {
        lock (Gate)
        {
            if (_installed) return;
            var dir = directory ?? Path.Combine(AppContext.BaseDirectory, "fonts");
            if (!File.Exists(Path.Combine(dir, "NotoSerifSC_400Regular.ttf")))
                throw new FileNotFoundException($"文书字体缺失：{dir}/NotoSerifSC_400Regular.ttf（构建时由 npm 包 @expo-google-fonts/noto-serif-sc 复制）");
            GlobalFontSettings.FontResolver = new DocumentFonts(dir);
            _installed = true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? "NotoSerifSC_700Bold" : "NotoSerifSC_400Regular");

    public byte[]? GetFont(string faceName) => File.ReadAllBytes(Path.Combine(_directory, faceName + ".ttf"));
}

/// <summary>
/// The verification document (总量核定文件) as a PDF in the form of a Chinese official document: red
/// masthead with the issuing office, the document number, a red rule, the title, the addressee, the
/// body (project, investor, verified totals, quota source, conditions), the issuing office and date.
/// </summary>
public static class VerificationDocument
{
    private const double Margin = 72;

    public static byte[] Render(VerificationApplication application, string issuerOffice, string number, string addressee, DateOnly issuedOn)
    {
        DocumentFonts.Install();
        using var pdf = new PdfDocument();
        pdf.Info.Title = $"关于{application.Project}主要污染物排放总量的核定意见";
        pdf.Info.Author = issuerOffice;
        var page = pdf.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        using var gfx = XGraphics.FromPdfPage(page);
        var width = page.Width.Point - 2 * Margin;
        var red = new XSolidBrush(XColor.FromArgb(200, 16, 46));
        var masthead = new XFont(DocumentFonts.Family, 26, XFontStyleEx.Bold);
        var titleFont = new XFont(DocumentFonts.Family, 17, XFontStyleEx.Bold);
        var body = new XFont(DocumentFonts.Family, 12, XFontStyleEx.Regular);

        var y = Margin;
        gfx.DrawString(issuerOffice + "文件", masthead, red, new XRect(Margin, y, width, 40), XStringFormats.TopCenter);
        y += 60;
        gfx.DrawString(number, body, XBrushes.Black, new XRect(Margin, y, width, 20), XStringFormats.TopCenter);
        y += 26;
        gfx.DrawLine(new XPen(XColor.FromArgb(200, 16, 46), 1.5), Margin, y, Margin + width, y);
        y += 24;
        foreach (var line in Wrap(gfx, pdf.Info.Title, titleFont, width))
        {
            gfx.DrawString(line, titleFont, XBrushes.Black, new XRect(Margin, y, width, 24), XStringFormats.TopCenter);
            y += 26;
        }
        y += 12;
        var amounts = string.Join("，", application.Amounts.Select(a => $"{Pollutants.Label(a.Pollutant)} {a.Tonnes:0.###} 吨/年"));
        string[] paragraphs =
        [
            $"{addressee}：",
            $"　　{application.Investor}“{application.Project}”环境影响{(application.Eia == EiaKind.Book ? "报告书" : "报告表")}主要污染物排放总量核定申请收悉。经审核，核定意见如下：",
            $"　　一、核定该项目主要污染物排放总量控制指标为：{amounts}。",
            $"　　二、总量指标来源：{application.QuotaSource}。上述削减量须在项目投入运行前落实到位，并纳入当地污染减排计划。",
            "　　三、项目竣工环境保护验收时，以在线监测等数据核算实际排放量，超过核定总量的，不予通过验收。",
            "　　四、本核定文件作为该项目环境影响评价文件审批的前置条件，自印发之日起两年内有效。",
        ];
        foreach (var paragraph in paragraphs)
        {
            foreach (var line in Wrap(gfx, paragraph, body, width))
            {
                gfx.DrawString(line, body, XBrushes.Black, new XRect(Margin, y, width, 18), XStringFormats.TopLeft);
                y += 21;
            }
            y += 6;
        }
        y += 30;
        gfx.DrawString(issuerOffice, body, XBrushes.Black, new XRect(Margin, y, width - 24, 18), XStringFormats.TopRight);
        y += 22;
        gfx.DrawString($"{issuedOn.Year}年{issuedOn.Month}月{issuedOn.Day}日", body, XBrushes.Black, new XRect(Margin, y, width - 24, 18), XStringFormats.TopRight);

        using var stream = new MemoryStream();
        pdf.Save(stream, false);
        return stream.ToArray();
    }

    /// <summary>Breaks text into lines that fit the width, character by character (Chinese has no spaces to break at).</summary>
    private static IEnumerable<string> Wrap(XGraphics gfx, string text, XFont font, double width)
    {
        var line = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            var next = line.ToString() + rune;
            if (line.Length > 0 && gfx.MeasureString(next, font).Width > width)
            {
                yield return line.ToString();
                line.Clear();
            }
            line.Append(rune.ToString());
        }
        if (line.Length > 0)
            yield return line.ToString();
    }

    /// <summary>The issuing office's name on the document: the region's environmental protection bureau.</summary>
    public static string OfficeName(Zongliang.Domain.Registry.Region issuer) => issuer.Name + "环境保护局";
}
