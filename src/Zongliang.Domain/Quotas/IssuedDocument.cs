using Zongliang.Domain.Common;

namespace Zongliang.Domain.Quotas;

/// <summary>The issued verification document (核定文件) of an application: its number, date, issuing office and the PDF as issued.</summary>
public sealed class IssuedDocument
{
    private IssuedDocument() { }

    public IssuedDocument(int applicationId, string number, string office, DateOnly issuedOn, byte[] pdf)
    {
        ApplicationId = applicationId;
        Number = number;
        Office = office;
        IssuedOn = issuedOn;
        Pdf = pdf;
    }

    public int ApplicationId { get; private set; }
    /// <summary>"青环总量核〔2026〕12号".</summary>
    public string Number { get; private set; } = "";
    public string Office { get; private set; } = "";
    public DateOnly IssuedOn { get; private set; }
    public byte[] Pdf { get; private set; } = [];

    /// <summary>How long a document may serve an EIA approval (the document says two years).</summary>
    public const int ValidYears = 2;

    public bool ValidOn(DateOnly day) => day >= IssuedOn && day < IssuedOn.AddYears(ValidYears);
}

/// <summary>
/// An EIA approval recorded at the approval desk (环评审批登记, Q1): only against a valid verification
/// document of the same project, and once per document.
/// </summary>
public sealed class EiaApproval
{
    private EiaApproval() { }

    public int Id { get; private set; }
    public int ApplicationId { get; private set; }
    public string EiaNumber { get; private set; } = "";
    public string ApprovedBy { get; private set; } = "";
    public DateTime ApprovedAtUtc { get; private set; }

    /// <summary>The gate: refused without an issued document for this project, with an expired one, or twice.</summary>
    public static (EiaApproval? Approval, Outcome Outcome) Record(VerificationApplication? application, IssuedDocument? document, string? project, string? eiaNumber,
        bool alreadyApproved, string by, DateTime nowUtc, DateOnly today)
    {
        if (application is null || document is null || application.State != ApplicationState.Issued)
            return (null, Outcome.Refuse("没有该文号的有效总量核定文件，不予审批", "DocumentNumber"));
        if (project is not null && project.Trim() != application.Project)
            return (null, Outcome.Refuse($"核定文件 {document.Number} 核定的是“{application.Project}”，与本项目不符", "Project"));
        if (!document.ValidOn(today))
            return (null, Outcome.Refuse($"核定文件 {document.Number} 已超过有效期（{IssuedDocument.ValidYears} 年）", "DocumentNumber"));
        if (alreadyApproved)
            return (null, Outcome.Refuse($"核定文件 {document.Number} 已用于环评审批", "DocumentNumber"));
        if (string.IsNullOrWhiteSpace(eiaNumber))
            return (null, Outcome.Refuse("请填写环评批复文号", "EiaNumber"));
        return (new EiaApproval { ApplicationId = application.Id, EiaNumber = eiaNumber.Trim(), ApprovedBy = by, ApprovedAtUtc = nowUtc }, Outcome.Ok());
    }
}

/// <summary>A file attached to an application (附件: EIA excerpt, offset evidence …), kept with the case.</summary>
public sealed class ApplicationAttachment
{
    public const int MaxBytes = Upload.MaxBytes;

    private ApplicationAttachment() { }

    public int Id { get; private set; }
    public int ApplicationId { get; private set; }
    public string FileName { get; private set; } = "";
    public string ContentType { get; private set; } = "";
    public int Size { get; private set; }
    public byte[] Content { get; private set; } = [];
    public string UploadedBy { get; private set; } = "";
    public DateTime UploadedAtUtc { get; private set; }

    /// <summary>Accepts a file up to 10 MB of the listed kinds, while the application can still change.</summary>
    public static (ApplicationAttachment? Attachment, Outcome Outcome) Add(VerificationApplication application, string? fileName, byte[] content, string by, DateTime nowUtc)
    {
        if (application.State is not (ApplicationState.UnderReview or ApplicationState.Returned))
            return (null, Outcome.Refuse("申请已办结，不能再添加附件", "File"));
        var (name, type, check) = Upload.Check(fileName, content);
        if (!check.Succeeded)
            return (null, check);
        return (new ApplicationAttachment
        {
            ApplicationId = application.Id, FileName = name, ContentType = type, Size = content.Length, Content = content,
            UploadedBy = by, UploadedAtUtc = nowUtc,
        }, Outcome.Ok());
    }
}
