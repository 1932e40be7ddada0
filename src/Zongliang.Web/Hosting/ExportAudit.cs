using Microsoft.AspNetCore.Http.HttpResults;
using Zongliang.Data;
using Zongliang.Data.Auditing;

namespace Zongliang.Web.Hosting;

/// <summary>Puts each file an endpoint hands out (reports, ledgers, documents, attachments) in the audit log: who took which data, when.</summary>
public static class ExportAudit
{
    public static TBuilder Audited<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.AddEndpointFilter(async (ctx, next) =>
        {
            var result = await next(ctx);
            if (result is IFileHttpResult file)
                await RecordAsync(ctx.HttpContext, file.FileDownloadName);
            return result;
        });

    /// <summary>Records that the request's user was handed <paramref name="file"/> (what a page that returns a file calls).</summary>
    public static async Task RecordAsync(HttpContext http, string? file)
    {
        var db = http.RequestServices.GetRequiredService<ZongliangDbContext>();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        await AuditLog.WriteAsync(db, now, db.Scope.Actor, "Export", http.Request.Path + http.Request.QueryString, "Exported", new { file }, http.RequestAborted);
    }
}
