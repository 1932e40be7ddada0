using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Common;
using Zongliang.Domain.Quotas;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Quotas;

public sealed record AmountDto(string Pollutant, decimal Tonnes);

/// <summary>What the EIA gate answers: the document's number and amounts.</summary>
public sealed record VerificationDocumentDto(string DocumentNumber, string Project, string Investor, string Office, DateOnly IssuedOn, DateOnly ValidUntil,
    IReadOnlyList<AmountDto> Amounts, string? EiaNumber);

public sealed record EiaApprovalRequest(string DocumentNumber, string Project, string EiaNumber);

/// <summary>
/// The EIA gate (Q1) for other systems, and the issued documents: an EIA approval is recorded only
/// against a valid verification document of the same project; the answer carries the document's
/// number and amounts, or the reason it was refused.
/// </summary>
public static class QuotaApi
{
    public static void MapQuotaApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Quotas");
        api.MapGet("/verification-documents/{number}", GetDocumentAsync).RequireAuthorization(Policies.QuotaLedger)
            .WithSummary("A verification document by its number (e.g. 青环总量核〔2026〕1号), with its amounts");
        api.MapPost("/eia-approvals", RecordApprovalAsync).RequireAuthorization(Policies.QuotaWrite)
            .WithSummary("Record an EIA approval: refused without a valid verification document of the same project");
        app.MapGet("/Quotas/Application/{id:int}/Document", DownloadAsync).RequireAuthorization(Policies.QuotaLedger).Audited();
        app.MapGet("/Public/Verification/{id:int}/Document", PublicDownloadAsync).AllowAnonymous();
        app.MapGet("/Quotas/Application/{id:int}/Attachment/{attachmentId:int}", AttachmentAsync).RequireAuthorization(Policies.QuotaLedger).Audited();
    }

    private static async Task<Results<Ok<VerificationDocumentDto>, NotFound<string>>> GetDocumentAsync(string number, ZongliangDbContext db, CancellationToken ct)
    {
        var found = await FindAsync(db, number, ct);
        return found is { } f ? TypedResults.Ok(Dto(f.Application, f.Document, f.EiaNumber)) : TypedResults.NotFound("没有该文号的有效总量核定文件");
    }

    private static async Task<Results<Created<VerificationDocumentDto>, ValidationProblem>> RecordApprovalAsync(EiaApprovalRequest request, ZongliangDbContext db,
        HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var found = await FindAsync(db, request.DocumentNumber ?? "", ct);
        var (approval, outcome) = EiaApproval.Record(found?.Application, found?.Document, request.Project, request.EiaNumber, found?.EiaNumber is not null,
            http.User.Signer(), clock.GetUtcNow().UtcDateTime, BeijingTime.Today(clock));
        if (!outcome.Succeeded)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [Camel(outcome.Field ?? "documentNumber")] = [outcome.Error!] });
        db.EiaApprovals.Add(approval!);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/verification-documents/{Uri.EscapeDataString(found!.Value.Document.Number)}",
            Dto(found.Value.Application, found.Value.Document, approval!.EiaNumber));
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> DownloadAsync(int id, ZongliangDbContext db, CancellationToken ct)
    {
        // The application's region filter decides who may download.
        if (!await db.VerificationApplications.AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        var document = await db.IssuedDocuments.AsNoTracking().FirstOrDefaultAsync(d => d.ApplicationId == id, ct);
        return document is null ? TypedResults.NotFound() : TypedResults.File(document.Pdf, "application/pdf", document.Number + ".pdf");
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> AttachmentAsync(int id, int attachmentId, ZongliangDbContext db, CancellationToken ct)
    {
        if (!await db.VerificationApplications.AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        var file = await db.ApplicationAttachments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == attachmentId && x.ApplicationId == id, ct);
        return file is null ? TypedResults.NotFound() : TypedResults.File(file.Content, file.ContentType, file.FileName);
    }

    /// <summary>Issued documents are public notices (公示): anyone may read them.</summary>
    private static async Task<Results<FileContentHttpResult, NotFound>> PublicDownloadAsync(int id, ZongliangDbContext db, CancellationToken ct)
    {
        var document = await db.IssuedDocuments.AsNoTracking().FirstOrDefaultAsync(d => d.ApplicationId == id, ct);
        return document is null ? TypedResults.NotFound() : TypedResults.File(document.Pdf, "application/pdf", document.Number + ".pdf");
    }

    /// <summary>A document by number, with its application and any EIA approval, within the caller's scope.</summary>
    private static async Task<(VerificationApplication Application, IssuedDocument Document, string? EiaNumber)?> FindAsync(ZongliangDbContext db, string number, CancellationToken ct)
    {
        var document = await db.IssuedDocuments.AsNoTracking().FirstOrDefaultAsync(d => d.Number == number.Trim(), ct);
        if (document is null) return null;
        var application = await db.VerificationApplications.AsNoTracking().Include(a => a.Amounts).FirstOrDefaultAsync(a => a.Id == document.ApplicationId, ct);
        if (application is null) return null;
        var eia = await db.EiaApprovals.AsNoTracking().Where(e => e.ApplicationId == application.Id).Select(e => e.EiaNumber).FirstOrDefaultAsync(ct);
        return (application, document, eia);
    }

    private static VerificationDocumentDto Dto(VerificationApplication a, IssuedDocument d, string? eiaNumber) =>
        new(d.Number, a.Project, a.Investor, d.Office, d.IssuedOn, d.IssuedOn.AddYears(IssuedDocument.ValidYears),
            a.Amounts.Select(x => new AmountDto(x.Pollutant, x.Tonnes)).ToList(), eiaNumber);

    private static string Camel(string field) => char.ToLowerInvariant(field[0]) + field[1..];
}
