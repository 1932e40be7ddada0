using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Access;
using Zongliang.Domain.Common;
using Zongliang.Domain.Warnings;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Warnings;

/// <summary>One linkage case: its history, attachments and the next step for whoever may take it.</summary>
public sealed class CaseModel(ZongliangDbContext db, IAuthorizationService auth, TimeProvider clock, WarningRules rules) : PageModel
{
    public LinkageCase Case { get; private set; } = null!;
    public string Region { get; private set; } = "";
    public string Enterprise { get; private set; } = "";
    public Warning? Warning { get; private set; }
    public IReadOnlyList<(long Id, string Name, int Size, string By, DateTime At)> Attachments { get; private set; } = [];
    public IReadOnlyList<(string UserName, string Name)> Inspectors { get; private set; } = [];
    /// <summary>The assignee's display name (the case keeps the user name).</summary>
    public string AssigneeName { get; private set; } = "";
    public bool CanHandle { get; private set; }
    public bool CanConfirm { get; private set; }
    public bool CanReopen { get; private set; }
    public DateTime NowUtc { get; private set; }
    public DateOnly DefaultDeadline { get; private set; }

    public string? ErrorFor(string field) => ModelState.FirstError(field);

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnGetAttachmentAsync(long id, long attachmentId, CancellationToken ct)
    {
        var a = await db.CaseAttachments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == attachmentId && x.CaseId == id, ct);
        if (a is null) return NotFound();
        await ExportAudit.RecordAsync(HttpContext, a.FileName);
        return File(a.Content, a.ContentType, a.FileName);
    }

    public Task<IActionResult> OnPostAssignAsync(long id, string? inspector, DateOnly? deadline, CancellationToken ct) =>
        StepAsync(id, Policies.CaseHandle, c =>
        {
            if (inspector is { Length: > 0 } && Inspectors.All(i => i.UserName != inspector))
                return Outcome.Refuse("承办人须为本辖区的环境监察人员", "Inspector");
            return c.Assign(inspector, deadline, User.Signer(), NowUtc, Inspectors.FirstOrDefault(i => i.UserName == inspector).Name);
        }, "已指派", ct);

    public Task<IActionResult> OnPostCheckAsync(long id, string? findings, IFormFile? file, CancellationToken ct) =>
        StepAsync(id, Policies.CaseHandle, c => c.RecordCheck(findings, User.Signer(), NowUtc), "已记录现场核查", ct, file);

    public Task<IActionResult> OnPostAttachAsync(long id, IFormFile? file, CancellationToken ct) =>
        StepAsync(id, Policies.CaseHandle, _ => file is null ? Outcome.Refuse("请选择要上传的文件", "File") : Outcome.Ok(), "已上传附件", ct, file, notify: false);

    public Task<IActionResult> OnPostHandleAsync(long id, CaseOutcome outcome, string? measure, CancellationToken ct) =>
        StepAsync(id, Policies.CaseHandle, c => c.Handle(outcome, measure, User.Signer(), NowUtc), "已处理，待监测站确认", ct);

    public Task<IActionResult> OnPostCloseAsync(long id, string? confirmation, CancellationToken ct) =>
        StepAsync(id, Policies.CaseConfirm, c => c.Close(confirmation, User.Signer(), NowUtc), "已确认办结", ct);

    public Task<IActionResult> OnPostReopenAsync(long id, string? reason, CancellationToken ct) =>
        StepAsync(id, Policies.CaseOpen, c => c.Reopen(reason, User.Signer(), NowUtc), "已重新办理", ct);

    /// <summary>One step: the policy, the move (its refusal shown next to its field), an optional attachment, the parties told.</summary>
    private async Task<IActionResult> StepAsync(long id, string policy, Func<LinkageCase, Outcome> move, string done, CancellationToken ct, IFormFile? file = null, bool notify = true)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!(await auth.AuthorizeAsync(User, policy)).Succeeded) return Forbid();
        ModelState.Clear();
        var c = await db.LinkageCases.Include(x => x.Steps).FirstAsync(x => x.Id == id, ct);
        CaseAttachment? attachment = null;
        // A file that was chosen but is empty is refused, not skipped (it was once reported as uploaded).
        if (file is { Length: 0 })
            return Refused(Outcome.Refuse("文件为空，请重新选择", "File"));
        if (file is not null)
        {
            if (file.Length > Upload.MaxBytes)
                return Refused(new Outcome(false, "附件不能超过 10 MB", "File"));
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            var (a, check) = CaseAttachment.Add(c, file.FileName, buffer.ToArray(), User.Signer(), NowUtc);
            if (!check.Succeeded) return Refused(check);
            attachment = a;
        }
        var outcome = move(c);
        if (!outcome.Succeeded) return Refused(outcome);
        if (attachment is not null)
        {
            db.CaseAttachments.Add(attachment);
            Data.Auditing.AuditLog.Add(db, NowUtc, db.Scope.Actor, "CaseAttachment", $"{id}", "Uploaded", new { file = attachment.FileName, bytes = attachment.Size });
        }
        if (notify) await CaseService.NotifyAsync(db, c, done, NowUtc, ct);
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = done;
        return Redirect(CaseService.Link(id));
    }

    private IActionResult Refused(Outcome outcome)
    {
        ModelState.AddModelError(outcome.Field ?? "", outcome.Error!);
        return Page();
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        NowUtc = clock.GetUtcNow().UtcDateTime;
        DefaultDeadline = BeijingTime.Date(NowUtc).AddDays((int)rules.Linkage.DeadlineDays.Value);
        var found = await (from c in db.LinkageCases.AsNoTracking().Include(c => c.Steps)
                           where c.Id == id
                           join r in db.Regions on c.RegionId equals r.Id
                           join e in db.Enterprises on c.EnterpriseId equals e.Id
                           select new { c, Region = r.Name, RegionPath = r.Path, Enterprise = e.Name }).FirstOrDefaultAsync(ct);
        if (found is null) return false;
        (Case, Region, Enterprise) = (found.c, found.Region, found.Enterprise);
        Warning = found.c.WarningId is { } w ? await db.Warnings.AsNoTracking().FirstOrDefaultAsync(x => x.Id == w, ct) : null;
        Attachments = (await db.CaseAttachments.AsNoTracking().Where(a => a.CaseId == id).OrderBy(a => a.Id)
                .Select(a => new { a.Id, a.FileName, a.Size, a.UploadedBy, a.UploadedAtUtc }).ToListAsync(ct))
            .Select(a => (a.Id, a.FileName, a.Size, a.UploadedBy, a.UploadedAtUtc)).ToList();
        AssigneeName = found.c.Assignee.Length == 0 ? "" : await db.Users.Where(u => u.UserName == found.c.Assignee).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? found.c.Assignee;
        CanHandle = (await auth.AuthorizeAsync(User, Policies.CaseHandle)).Succeeded;
        CanConfirm = (await auth.AuthorizeAsync(User, Policies.CaseConfirm)).Succeeded;
        CanReopen = (await auth.AuthorizeAsync(User, Policies.CaseOpen)).Succeeded;
        if (CanHandle)
        {
            Inspectors = (await Staff.InRolesAsync(db, [Roles.Inspection], ct)).Where(u => u.Covers(found.RegionPath))
                .Select(u => (u.UserName, u.DisplayName)).OrderBy(u => u.UserName).ToList();
        }
        return true;
    }
}
