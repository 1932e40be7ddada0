namespace Zongliang.Domain.Common;

/// <summary>What the platform accepts as an uploaded file (attachments of applications and cases): up to 10 MB of a few document and image kinds.</summary>
public static class Upload
{
    public const int MaxBytes = 10 * 1024 * 1024;

    public static readonly IReadOnlyDictionary<string, string> Types = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = "application/pdf",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".png"] = "image/png",
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    };

    /// <summary>The file's name (without folders, at most 200 characters) and content type, or the refusal for the "File" field.</summary>
    public static (string Name, string ContentType, Outcome Outcome) Check(string? fileName, byte[] content)
    {
        var name = Path.GetFileName(fileName ?? "").Trim();
        if (name.Length == 0)
            return ("", "", Outcome.Refuse("请选择要上传的文件", "File"));
        if (content.Length == 0)
            return ("", "", Outcome.Refuse("文件为空，请重新选择", "File"));
        if (content.Length > MaxBytes)
            return ("", "", Outcome.Refuse("附件不能超过 10 MB", "File"));
        if (!Types.TryGetValue(Path.GetExtension(name), out var type))
            return ("", "", Outcome.Refuse("只接受 PDF、JPG、PNG、DOCX、XLSX 文件", "File"));
        return (name.Length > 200 ? name[^200..] : name, type, Outcome.Ok());
    }
}
