using System.Globalization;
using System.Text.Json;
using Zongliang.Domain.Common;

namespace Zongliang.Web.Features.System;

/// <summary>The audit log in the words of the bureau's staff: records, fields and system actors named in Chinese.</summary>
public static class AuditLabels
{
    private static readonly Dictionary<string, string> Entities = new()
    {
        ["Region"] = "行政区", ["Enterprise"] = "排污单位", ["Outlet"] = "排放口", ["OutletFactor"] = "排放口监测因子", ["Device"] = "现场端设备",
        ["Factor"] = "监测因子", ["AuditDecision"] = "数据审核", ["ComparisonTask"] = "比对监测任务", ["ComparisonResult"] = "比对监测结果",
        ["OperationNotice"] = "停产检修报备", ["Warning"] = "预警", ["LinkageCase"] = "联动案件", ["CaseStep"] = "案件办理步骤",
        ["CaseAttachment"] = "案件附件", ["SupervisoryTask"] = "监督性监测任务", ["SupervisorySample"] = "监督性监测采样",
        ["SampleValue"] = "采样监测值", ["SupervisoryReport"] = "监督性监测季报", ["TreatmentList"] = "限期治理名单",
        ["TreatmentEntry"] = "限期治理项目", ["TreatmentProgress"] = "限期治理进展", ["TreatmentCheck"] = "联合抽查",
        ["RegionTarget"] = "区域总量目标", ["ReductionMeasure"] = "减排措施", ["QuotaIncrement"] = "新增量", ["RegionRestriction"] = "区域限批",
        ["InvestorListing"] = "投资主体名单", ["VerificationApplication"] = "总量核定申请", ["ApplicationAttachment"] = "申请附件",
        ["IssuedDocument"] = "核定文件", ["EnterpriseQuota"] = "企业总量", ["AppUser"] = "用户", ["IdentityUserRole"] = "用户角色",
        ["IdentityRole"] = "角色", ["SignIn"] = "登录", ["Export"] = "导出", ["Password"] = "密码",
    };

    private static readonly Dictionary<string, string> Fields = new()
    {
        ["Name"] = "名称", ["Code"] = "编码", ["Code2005"] = "原编码", ["RegionId"] = "行政区", ["ParentId"] = "上级", ["Path"] = "层级",
        ["EnterpriseId"] = "排污单位", ["OutletId"] = "排放口", ["FactorCode"] = "监测因子", ["CreditCode"] = "统一社会信用代码",
        ["Industry"] = "行业", ["ControlLevel"] = "重点源级别", ["ProductionMode"] = "生产方式", ["ProductionPeriods"] = "生产期",
        ["CoalBoilers"] = "燃煤锅炉台数", ["CoalBoilerCapacity"] = "燃煤锅炉容量", ["Address"] = "地址", ["Contact"] = "联系人",
        ["Phone"] = "电话", ["PhoneNumber"] = "手机号码", ["Email"] = "电子邮箱", ["Medium"] = "类型", ["Standard"] = "执行标准",
        ["ReferenceOxygen"] = "基准氧含量", ["Longitude"] = "经度", ["Latitude"] = "纬度", ["Limit"] = "排放限值", ["Unit"] = "单位",
        ["MassUnit"] = "排放量单位", ["IsParameter"] = "工况参数", ["Mn"] = "设备编号（MN）", ["AccessPassword"] = "访问密码",
        ["Manufacturer"] = "生产厂家", ["Model"] = "型号", ["State"] = "状态", ["Status"] = "状态", ["RegisteredAtUtc"] = "登记时间",
        ["InstalledOn"] = "安装日期", ["InstalledBy"] = "安装登记人", ["AcceptedOn"] = "验收日期", ["AcceptedBy"] = "验收人",
        ["NetworkedOn"] = "联网日期", ["NetworkedBy"] = "联网登记人", ["RemovedOn"] = "拆除日期", ["UserName"] = "用户名",
        ["DisplayName"] = "姓名 / 单位", ["Disabled"] = "停用", ["MustChangePassword"] = "须修改密码", ["PasswordHash"] = "密码",
        ["RoleId"] = "角色", ["UserId"] = "用户", ["Year"] = "年度", ["Quarter"] = "季度", ["Pollutant"] = "污染物", ["Tonnes"] = "吨数",
        ["Amount"] = "数量", ["UsedAmount"] = "已用量", ["BaseYear"] = "基准年", ["BaseTotal"] = "基准年排放量", ["CurrentTotal"] = "当年排放量",
        ["ReductionPercent"] = "削减比例", ["Percent"] = "比例", ["Source"] = "来源", ["Type"] = "类别", ["Kind"] = "种类",
        ["Measure"] = "措施", ["Project"] = "项目", ["Investor"] = "投资主体", ["Reason"] = "原因", ["Document"] = "文件",
        ["DocumentNumber"] = "文号", ["LiftDocument"] = "解除文件", ["LiftedOn"] = "解除日期", ["IssuedBy"] = "下达单位", ["IssuedOn"] = "下达日期",
        ["Deadline"] = "期限", ["Due"] = "应完成日期", ["Label"] = "名称", ["Title"] = "标题", ["Description"] = "说明", ["Note"] = "备注",
        ["Subject"] = "事由", ["Findings"] = "核查情况", ["Conclusion"] = "结论", ["Result"] = "结果", ["Problem"] = "问题",
        ["RequiredMeasures"] = "整改措施", ["Responsible"] = "责任人", ["Participants"] = "参加人员", ["Works"] = "治理工程",
        ["Assignee"] = "承办人", ["AssignedTo"] = "承办人", ["OpenedBy"] = "立案人", ["OpenedAtUtc"] = "立案时间", ["ClosedAtUtc"] = "办结时间",
        ["HandledAtUtc"] = "处理时间", ["ConcludedAtUtc"] = "结论时间", ["ConfirmedOn"] = "确认日期", ["Escalated"] = "已上报",
        ["Reopened"] = "重新办理", ["WarningId"] = "预警", ["CaseId"] = "联动案件", ["TaskId"] = "任务", ["SampleId"] = "采样",
        ["EntryId"] = "项目", ["ListId"] = "名单", ["TreatmentEntryId"] = "限期治理项目", ["MonitoringTaskId"] = "监测任务",
        ["SampledAtUtc"] = "采样时间", ["Value"] = "监测值", ["Online"] = "在线值", ["DifferencePercent"] = "相对偏差",
        ["Exceeded"] = "超标", ["Suspicious"] = "可疑", ["Method"] = "方法", ["ReportNumber"] = "报告编号", ["ReportedBy"] = "报送人",
        ["ReportedAtUtc"] = "报送时间", ["RecordedBy"] = "记录人", ["RecordedAtUtc"] = "记录时间", ["EnteredBy"] = "录入人",
        ["EnteredAtUtc"] = "录入时间", ["EvaluatedBy"] = "判定人", ["EvaluatedAtUtc"] = "判定时间", ["CheckedOn"] = "抽查日期",
        ["CreatedBy"] = "创建人", ["CreatedAtUtc"] = "创建时间", ["DoneAtUtc"] = "完成时间", ["StartOn"] = "开始日期", ["From"] = "起",
        ["To"] = "止", ["FacilityOperation"] = "治理设施运行", ["Evidence"] = "依据", ["AtUtc"] = "时间", ["Action"] = "操作", ["Actor"] = "操作人",
    };

    /// <summary>Identity's bookkeeping columns: no change anyone made, left out of the list.</summary>
    private static readonly HashSet<string> Hidden =
    [
        "Id", "ConcurrencyStamp", "SecurityStamp", "NormalizedUserName", "NormalizedEmail", "NormalizedName", "EmailConfirmed",
        "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount", "LockoutEnd",
    ];

    private static readonly Dictionary<string, string> Systems = new()
    {
        ["system"] = "系统", ["warnings"] = "系统（预警）", ["aggregation"] = "系统（数据有效性）", ["ingest"] = "系统（数据接收）",
        ["hj212"] = "系统（数据接收）", ["comparison-schedule"] = "系统（比对监测计划）", ["outbox"] = "系统（消息发送）",
        ["jobs"] = "系统（后台作业）", ["migration"] = "系统（数据库升级）", ["demo-seed"] = "系统（演示数据）",
    };

    public static string Entity(string entity) => Entities.GetValueOrDefault(entity, entity);

    public static IEnumerable<KeyValuePair<string, string>> EntityChoices(IEnumerable<string> present) =>
        present.Select(e => new KeyValuePair<string, string>(e, Entity(e))).OrderBy(kv => kv.Value, StringComparer.Create(CultureInfo.GetCultureInfo("zh-CN"), false));

    public static string Action(string action) => action switch
    {
        "Added" => "新增", "Modified" => "修改", "Deleted" => "删除", "Succeeded" => "成功", "Failed" => "失败", "Throttled" => "延时",
        "SignedOut" => "退出", "Exported" => "导出", "Uploaded" => "上传", "Dismissed" => "解除", "Changed" => "修改",
        _ => action,
    };

    /// <summary>Who did it: a person by name (with the login), a command, or the system and its part.</summary>
    public static string Actor(string actor, IReadOnlyDictionary<string, string> people) =>
        Systems.TryGetValue(actor, out var system) ? system
        : actor.StartsWith("zl ", StringComparison.Ordinal) ? $"命令行（{actor}）"
        : people.TryGetValue(actor, out var name) && name.Length > 0 ? $"{name}（{actor}）"
        : actor;

    /// <summary>One line per changed field: "名称：前 → 后" (modified), "名称：值" (added or deleted, or an event's details).</summary>
    public static IReadOnlyList<string> Changes(string action, string before, string after)
    {
        var b = Parse(before);
        var a = Parse(after);
        // A new or deleted record lists the fields it had; empty ones say nothing.
        var names = b.Keys.Union(a.Keys).Where(n => !Hidden.Contains(n))
            .Where(n => action == "Modified" || !IsEmpty(a.TryGetValue(n, out var v) ? v : b.GetValueOrDefault(n))).ToList();
        return names.Select(n =>
        {
            var label = Fields.GetValueOrDefault(n, n);
            return action == "Modified"
                ? $"{label}：{Value(n, b.GetValueOrDefault(n))} → {Value(n, a.GetValueOrDefault(n))}"
                : $"{label}：{Value(n, a.TryGetValue(n, out var v) ? v : b.GetValueOrDefault(n))}";
        }).ToList();
    }

    private static bool IsEmpty(JsonElement value) =>
        value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null || value.ValueKind == JsonValueKind.String && value.GetString() is "" or null;

    private static Dictionary<string, JsonElement> Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string Value(string name, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => "（空）",
        JsonValueKind.True => "是",
        JsonValueKind.False => "否",
        JsonValueKind.String when name.EndsWith("Utc", StringComparison.Ordinal) && value.TryGetDateTime(out var t) =>
            BeijingTime.Format(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
        JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : "（空）",
        _ => value.GetRawText(),
    };
}
