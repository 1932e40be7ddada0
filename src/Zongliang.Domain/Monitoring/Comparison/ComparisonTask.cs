using Zongliang.Domain.Common;

namespace Zongliang.Domain.Monitoring.Comparison;

public enum ComparisonState
{
    /// <summary>待比对.</summary>
    Open = 0,
    /// <summary>合格.</summary>
    Passed = 1,
    /// <summary>不合格: the device's data since the last passed comparison are suspect; a retest task is opened.</summary>
    Failed = 2,
}

public enum ComparisonKind
{
    /// <summary>By the schedule (quarterly, or twice per production period).</summary>
    Scheduled = 1,
    /// <summary>整改复测: opened for the operator by a failed comparison.</summary>
    Retest = 2,
}

/// <summary>
/// A comparison test of an outlet's analysers against a reference (lab) method (比对监测, M6): lab
/// samples are recorded, the platform finds the device values at the same times, and the task
/// ends passed or failed. A finished task no longer takes samples.
/// </summary>
public sealed class ComparisonTask
{
    private readonly List<ComparisonSample> _samples = [];
    private readonly List<ComparisonResult> _results = [];

    private ComparisonTask() { }

    public ComparisonTask(int outletId, string key, string label, DateOnly due, ComparisonKind kind, string assignedTo, DateTime createdAtUtc)
    {
        OutletId = outletId;
        Key = key;
        Label = label;
        Due = due;
        Kind = kind;
        AssignedTo = assignedTo;
        CreatedAtUtc = createdAtUtc;
    }

    public int Id { get; private set; }
    public int OutletId { get; private set; }
    /// <summary>Unique per outlet: "2026Q4", "20261115-1", "R{failed task id}".</summary>
    public string Key { get; private set; } = "";
    public string Label { get; private set; } = "";
    public DateOnly Due { get; private set; }
    public ComparisonKind Kind { get; private set; }
    public string AssignedTo { get; set; } = "";
    public DateTime CreatedAtUtc { get; private set; }
    public ComparisonState State { get; private set; }
    public DateTime? EvaluatedAtUtc { get; private set; }
    public string EvaluatedBy { get; private set; } = "";
    public IReadOnlyList<ComparisonSample> Samples => _samples;
    public IReadOnlyList<ComparisonResult> Results => _results;

    public bool IsOverdue(DateOnly today) => State == ComparisonState.Open && today > Due;

    /// <summary>Records a lab sample. Refused once the task is evaluated, for a future sampling time, or a negative value.</summary>
    public Outcome AddSample(string factorCode, DateTime sampledAtUtc, double labValue, string? method, DateTime nowUtc)
    {
        if (State != ComparisonState.Open)
            return Outcome.Refuse("该比对已完成评价，不能再添加样品", "FactorCode");
        if (sampledAtUtc > nowUtc)
            return Outcome.Refuse("采样时间不能晚于现在", "SampledAt");
        var ranges = PlausibleRanges.Current;
        if (!ranges.IsPlausibleInstant(sampledAtUtc, nowUtc))
            return Outcome.Refuse(ranges.DateMessage(DateOnly.FromDateTime(nowUtc)), "SampledAt");
        if (labValue < 0 || double.IsNaN(labValue))
            return Outcome.Refuse("实验室测定值不能为负数", "LabValue");
        if (!ranges.LabValue.Contains(labValue))
            return Outcome.Refuse($"实验室测定值超出合理范围（{ranges.LabValue.Describe("")}）", "LabValue");
        _samples.Add(new ComparisonSample(factorCode, DateTime.SpecifyKind(sampledAtUtc, DateTimeKind.Utc), labValue, method?.Trim() ?? ""));
        return Outcome.Ok();
    }

    /// <summary>Ends the task with the verdict of each factor: passed when every factor passed.</summary>
    public Outcome Complete(IReadOnlyList<ComparisonVerdict> verdicts, string by, DateTime nowUtc)
    {
        if (State != ComparisonState.Open)
            return Outcome.Refuse("该比对已完成评价");
        if (verdicts.Count == 0)
            return Outcome.Refuse("没有可评价的因子：请先录入样品");
        foreach (var v in verdicts)
            _results.Add(new ComparisonResult(v));
        State = verdicts.All(v => v.Passed) ? ComparisonState.Passed : ComparisonState.Failed;
        EvaluatedAtUtc = nowUtc;
        EvaluatedBy = by;
        return Outcome.Ok();
    }

    public static string StateLabel(ComparisonState s) => s switch
    {
        ComparisonState.Passed => "合格",
        ComparisonState.Failed => "不合格",
        _ => "待比对",
    };
}

/// <summary>A lab sample (参比方法测定值) with the device value the platform found at the same time.</summary>
public sealed class ComparisonSample
{
    private ComparisonSample() { }

    internal ComparisonSample(string factorCode, DateTime sampledAtUtc, double labValue, string method)
    {
        FactorCode = factorCode;
        SampledAtUtc = sampledAtUtc;
        LabValue = labValue;
        Method = method;
    }

    public long Id { get; private set; }
    public int TaskId { get; private set; }
    public string FactorCode { get; private set; } = "";
    public DateTime SampledAtUtc { get; private set; }
    public double LabValue { get; private set; }
    public string Method { get; private set; } = "";
    /// <summary>The device's minute value at the sampling time, found when the task is evaluated.</summary>
    public double? DeviceValue { get; set; }
}

/// <summary>The verdict on one factor of a finished comparison.</summary>
public sealed class ComparisonResult
{
    private ComparisonResult() { }

    internal ComparisonResult(ComparisonVerdict v)
    {
        FactorCode = v.FactorCode;
        Kind = v.Kind;
        Error = v.Error;
        Limit = v.Limit;
        Passed = v.Passed;
        ReferenceMean = v.ReferenceMean;
        Pairs = v.Pairs;
        Description = v.Describe();
    }

    public long Id { get; private set; }
    public int TaskId { get; private set; }
    public string FactorCode { get; private set; } = "";
    public ErrorKind Kind { get; private set; }
    public double Error { get; private set; }
    public double Limit { get; private set; }
    public bool Passed { get; private set; }
    public double ReferenceMean { get; private set; }
    public int Pairs { get; private set; }
    public string Description { get; private set; } = "";
}
