using System.Text.Json;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Zongliang.Data.Auditing;
using Zongliang.Data.Identity;
using Zongliang.Domain.Access;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Monitoring.Comparison;
using Zongliang.Domain.Quotas;
using Zongliang.Domain.Registry;
using Zongliang.Domain.Warnings;
using Zongliang.Domain.Notifications;
using Zongliang.Domain.Supervision;

namespace Zongliang.Data;

/// <summary>
/// The unit of work. Two things happen here and nowhere else:
/// every query of region-bound records is filtered by the current <see cref="AccessScope"/>, and
/// every save is checked against that scope and written to the audit log.
/// Provider-specific subclasses exist only so that each provider has its own migrations.
/// </summary>
public abstract class ZongliangDbContext : IdentityDbContext<AppUser>, IDataProtectionKeyContext
{
    private readonly ScopeAccessor _scope;
    private readonly TimeProvider _clock;

    protected ZongliangDbContext(DbContextOptions options, ScopeAccessor scope, TimeProvider clock) : base(options)
    {
        _scope = scope;
        _clock = clock;
    }

    public DbSet<Region> Regions => Set<Region>();
    public DbSet<Enterprise> Enterprises => Set<Enterprise>();
    public DbSet<Outlet> Outlets => Set<Outlet>();
    public DbSet<Factor> Factors => Set<Factor>();
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<RawPacket> RawPackets => Set<RawPacket>();
    public DbSet<Reading> Readings => Set<Reading>();
    public DbSet<HourAggregate> HourAggregates => Set<HourAggregate>();
    public DbSet<DayAggregate> DayAggregates => Set<DayAggregate>();
    public DbSet<AuditDecision> AuditDecisions => Set<AuditDecision>();
    public DbSet<ComparisonTask> ComparisonTasks => Set<ComparisonTask>();
    public DbSet<OperationNotice> OperationNotices => Set<OperationNotice>();
    public DbSet<RegionTarget> RegionTargets => Set<RegionTarget>();
    public DbSet<ReductionMeasure> ReductionMeasures => Set<ReductionMeasure>();
    public DbSet<QuotaIncrement> QuotaIncrements => Set<QuotaIncrement>();
    public DbSet<RegionRestriction> RegionRestrictions => Set<RegionRestriction>();
    public DbSet<InvestorListing> InvestorListings => Set<InvestorListing>();
    public DbSet<VerificationApplication> VerificationApplications => Set<VerificationApplication>();
    public DbSet<IssuedDocument> IssuedDocuments => Set<IssuedDocument>();
    public DbSet<EiaApproval> EiaApprovals => Set<EiaApproval>();
    public DbSet<QuotaOffset> QuotaOffsets => Set<QuotaOffset>();
    public DbSet<AcceptanceCheck> AcceptanceChecks => Set<AcceptanceCheck>();
    public DbSet<EnterpriseQuota> EnterpriseQuotas => Set<EnterpriseQuota>();
    public DbSet<ApplicationAttachment> ApplicationAttachments => Set<ApplicationAttachment>();
    public DbSet<DeviceStatus> DeviceStatuses => Set<DeviceStatus>();
    public DbSet<DeviceClockFault> DeviceClockFaults => Set<DeviceClockFault>();
    public DbSet<Warning> Warnings => Set<Warning>();
    public DbSet<LinkageCase> LinkageCases => Set<LinkageCase>();
    public DbSet<CaseStep> CaseSteps => Set<CaseStep>();
    public DbSet<CaseAttachment> CaseAttachments => Set<CaseAttachment>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<Monitoring.RecomputeRequest> RecomputeRequests => Set<Monitoring.RecomputeRequest>();
    public DbSet<JobLease> JobLeases => Set<JobLease>();
    public DbSet<SupervisoryTask> SupervisoryTasks => Set<SupervisoryTask>();
    public DbSet<SupervisoryTaskEdit> SupervisoryTaskEdits => Set<SupervisoryTaskEdit>();
    public DbSet<SupervisorySample> SupervisorySamples => Set<SupervisorySample>();
    public DbSet<SampleValue> SampleValues => Set<SampleValue>();
    public DbSet<SupervisoryReport> SupervisoryReports => Set<SupervisoryReport>();
    public DbSet<TreatmentList> TreatmentLists => Set<TreatmentList>();
    public DbSet<TreatmentEntry> TreatmentEntries => Set<TreatmentEntry>();
    public DbSet<TreatmentProgress> TreatmentReports => Set<TreatmentProgress>();
    public DbSet<TreatmentCheck> TreatmentChecks => Set<TreatmentCheck>();

    /// <summary>Keys that sign the sign-in cookies, shared by every instance of the web host.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public AccessScope Scope => _scope.Scope;

    // The query filters read these per query, so one model serves every user.
    /// <summary>
    /// The scope filter of everything that belongs to an outlet: visible when the outlet's enterprise
    /// is in the user's region, or is the user's own enterprise.
    /// </summary>
    private void FilterByOutlet<T>(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<T> e, System.Linq.Expressions.Expression<Func<T, int>> outletId) where T : class
    {
        System.Linq.Expressions.Expression<Func<int, bool>> visible = id => ScopeEverything || Set<Outlet>().Any(o => o.Id == id
            && ((ScopePath != null && o.Enterprise.Region.Path.StartsWith(ScopePath))
                || (ScopeEnterpriseId != null && o.EnterpriseId == ScopeEnterpriseId)));
        var body = new ParameterSwap(visible.Parameters[0], outletId.Body).Visit(visible.Body);
        e.HasQueryFilter(System.Linq.Expressions.Expression.Lambda<Func<T, bool>>(body, outletId.Parameters[0]));
    }

    /// <summary>The scope filter of what belongs to a region itself (not to an enterprise): visible to the region and those above it.</summary>
    private void FilterByRegion<T>(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<T> e, System.Linq.Expressions.Expression<Func<T, int>> regionId) where T : class
    {
        System.Linq.Expressions.Expression<Func<int, bool>> visible = id => ScopeEverything
            || (ScopePath != null && Set<Region>().Any(r => r.Id == id && r.Path.StartsWith(ScopePath)));
        var body = new ParameterSwap(visible.Parameters[0], regionId.Body).Visit(visible.Body);
        e.HasQueryFilter(System.Linq.Expressions.Expression.Lambda<Func<T, bool>>(body, regionId.Parameters[0]));
    }

    /// <summary>The scope filter of what belongs to a region and may concern one enterprise (warnings, cases): the region and those above it, and that enterprise's own users.</summary>
    private void FilterByRegionOrEnterprise<T>(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<T> e,
        System.Linq.Expressions.Expression<Func<T, int>> regionId, System.Linq.Expressions.Expression<Func<T, int?>> enterpriseId) where T : class
    {
        System.Linq.Expressions.Expression<Func<int, int?, bool>> visible = (id, enterprise) => ScopeEverything
            || (ScopePath != null && Set<Region>().Any(r => r.Id == id && r.Path.StartsWith(ScopePath)))
            || (ScopeEnterpriseId != null && enterprise == ScopeEnterpriseId);
        var parameter = regionId.Parameters[0];
        var body = new ParameterSwap(visible.Parameters[0], regionId.Body).Visit(visible.Body);
        body = new ParameterSwap(visible.Parameters[1], new ParameterSwap(enterpriseId.Parameters[0], parameter).Visit(enterpriseId.Body)).Visit(body);
        e.HasQueryFilter(System.Linq.Expressions.Expression.Lambda<Func<T, bool>>(body, parameter));
    }

    /// <summary>
    /// Records whose scope is their parent's (by its key): both the query filter and the write check come
    /// from this one declaration. Attachments, samples, steps and amounts once had no read filter or fell
    /// through the write check as allowed.
    /// </summary>
    private static readonly Dictionary<Type, (Type Parent, string Key)> Children = new()
    {
        [typeof(ComparisonSample)] = (typeof(ComparisonTask), nameof(ComparisonSample.TaskId)),
        [typeof(ComparisonResult)] = (typeof(ComparisonTask), nameof(ComparisonResult.TaskId)),
        [typeof(ApplicationAmount)] = (typeof(VerificationApplication), nameof(ApplicationAmount.ApplicationId)),
        [typeof(ReviewStep)] = (typeof(VerificationApplication), nameof(ReviewStep.ApplicationId)),
        [typeof(ApplicationAttachment)] = (typeof(VerificationApplication), nameof(ApplicationAttachment.ApplicationId)),
        [typeof(QuotaOffset)] = (typeof(VerificationApplication), nameof(QuotaOffset.ApplicationId)),
        [typeof(AcceptanceCheck)] = (typeof(VerificationApplication), nameof(AcceptanceCheck.ApplicationId)),
        [typeof(AcceptanceLine)] = (typeof(AcceptanceCheck), "AcceptanceId"),
        [typeof(EiaApproval)] = (typeof(VerificationApplication), nameof(EiaApproval.ApplicationId)),
        [typeof(CaseStep)] = (typeof(LinkageCase), nameof(CaseStep.CaseId)),
        [typeof(CaseAttachment)] = (typeof(LinkageCase), nameof(CaseAttachment.CaseId)),
        [typeof(SupervisoryTaskEdit)] = (typeof(SupervisoryTask), nameof(SupervisoryTaskEdit.TaskId)),
        [typeof(SupervisorySample)] = (typeof(SupervisoryTask), nameof(SupervisorySample.TaskId)),
        [typeof(SampleValue)] = (typeof(SupervisorySample), nameof(SampleValue.SampleId)),
        [typeof(TreatmentProgress)] = (typeof(TreatmentEntry), nameof(TreatmentProgress.EntryId)),
        [typeof(TreatmentCheck)] = (typeof(TreatmentEntry), nameof(TreatmentCheck.EntryId)),
    };

    /// <summary>
    /// Records deliberately without a region scope, each with the reason and whether a user outside the
    /// system scope may write it. Any other entity without a query filter fails the model build.
    /// </summary>
    private static readonly Dictionary<Type, (bool UsersWrite, string Why)> Unscoped = new()
    {
        [typeof(Region)] = (false, "reference data: every user reads the regions; only the administrator changes them"),
        [typeof(Factor)] = (false, "reference data: the factor catalog"),
        [typeof(PacketKey)] = (false, "the listener's duplicate keys, written by the ingest store only"),
        [typeof(Monitoring.RecomputeRequest)] = (false, "the aggregation's work queue (outlet ids and days), written by the system only"),
        [typeof(JobLease)] = (false, "which instance runs a job now, written by the system only"),
        [typeof(IssuedDocument)] = (true, "numbered approvals are public notices (公示); issued by a reviewer of the application"),
        [typeof(SupervisoryReport)] = (true, "the quarterly upward report of the whole city, for the monitoring station"),
        [typeof(TreatmentList)] = (true, "the city's deadline-treatment lists; their entries carry the region"),
        [typeof(InboxMessage)] = (true, "each user's own messages, read by user name; any action may notify anyone"),
        [typeof(OutboxMessage)] = (true, "e-mail and SMS waiting to be sent; any action may notify"),
        [typeof(AuditEntry)] = (true, "the audit log, written with every change"),
        [typeof(DataProtectionKey)] = (true, "the cookie keys"),
        [typeof(AppUser)] = (true, "Identity: a user renews his own security stamp and password"),
    };

    /// <summary>Identity's own tables (roles, claims, logins, tokens, passkeys): unscoped, written by Identity for the user it serves.</summary>
    private static bool IsIdentityTable(Type type) => type.Namespace?.StartsWith("Microsoft.AspNetCore.Identity", StringComparison.Ordinal) == true;

    /// <summary>The query filter of a child record: visible when its parent is (the parent's own filter applies).</summary>
    private void FilterThroughParent<T, TParent>(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<T> e, string key) where T : class where TParent : class
    {
        var keyType = typeof(T).GetProperty(key)?.PropertyType ?? e.Metadata.FindProperty(key)?.ClrType
            ?? throw new InvalidOperationException($"{typeof(T).Name} has no key {key}");
        System.Linq.Expressions.LambdaExpression filter = keyType == typeof(long)
            ? (System.Linq.Expressions.Expression<Func<T, bool>>)(x => Set<TParent>().Any(p => EF.Property<long>(p, "Id") == EF.Property<long>(x, key)))
            : (System.Linq.Expressions.Expression<Func<T, bool>>)(x => Set<TParent>().Any(p => EF.Property<int>(p, "Id") == EF.Property<int>(x, key)));
        e.HasQueryFilter(filter);
    }

    private void ApplyChildFilters(ModelBuilder b)
    {
        var method = typeof(ZongliangDbContext).GetMethod(nameof(FilterThroughParent), System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!;
        foreach (var (child, (parent, key)) in Children)
        {
            var builder = typeof(ModelBuilder).GetMethod(nameof(ModelBuilder.Entity), Type.EmptyTypes)!.MakeGenericMethod(child).Invoke(b, null);
            method.MakeGenericMethod(child, parent).Invoke(this, [builder, key]);
        }
    }

    /// <summary>Fails the model build for an entity with neither a query filter nor a declared reason to have none.</summary>
    private static void RequireScopeDeclarations(ModelBuilder b)
    {
        var undeclared = b.Model.GetEntityTypes()
            .Where(t => !t.IsOwned() && t.GetDeclaredQueryFilters().Count == 0 && !Unscoped.ContainsKey(t.ClrType) && !IsIdentityTable(t.ClrType))
            .Select(t => t.ClrType.Name).ToList();
        if (undeclared.Count > 0)
            throw new InvalidOperationException("No region scope declared for " + string.Join(", ", undeclared) +
                ": give each a query filter (FilterByOutlet, FilterByRegion, the Children table) or an entry in Unscoped with the reason.");
    }

    private sealed class ParameterSwap(System.Linq.Expressions.ParameterExpression from, System.Linq.Expressions.Expression to) : System.Linq.Expressions.ExpressionVisitor
    {
        protected override System.Linq.Expressions.Expression VisitParameter(System.Linq.Expressions.ParameterExpression node) => node == from ? to : node;
    }

    private bool ScopeEverything => _scope.Scope.Everything;
    private string? ScopePath => _scope.Scope.RegionPath;
    private int? ScopeEnterpriseId => _scope.Scope.EnterpriseId;

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // Stored as UTC; SQLite returns unspecified kinds, so say what they are.
        builder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);

        b.Entity<AppUser>(e =>
        {
            e.Property(u => u.DisplayName).HasMaxLength(64);
            e.HasIndex(u => u.RegionId);
        });

        b.Entity<Region>(e =>
        {
            e.Property(r => r.Code).HasMaxLength(6);
            e.HasIndex(r => r.Code).IsUnique();
            e.Property(r => r.Name).HasMaxLength(64);
            e.Property(r => r.Path).HasMaxLength(128);
            e.HasIndex(r => r.Path);
            e.HasOne(r => r.Parent).WithMany().HasForeignKey(r => r.ParentId).OnDelete(DeleteBehavior.Restrict);
            e.Ignore(r => r.IsCountyLevel);
        });

        b.Entity<Enterprise>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(128);
            e.Property(x => x.CreditCode).HasMaxLength(18);
            e.HasIndex(x => x.CreditCode).IsUnique();
            e.Property(x => x.Industry).HasMaxLength(64);
            e.Property(x => x.Address).HasMaxLength(256);
            e.Property(x => x.Contact).HasMaxLength(32);
            e.Property(x => x.Phone).HasMaxLength(32);
            e.Property(x => x.ProductionPeriods).HasMaxLength(256);
            e.Property(x => x.CoalBoilerCapacity).HasPrecision(10, 2);
            e.HasOne(x => x.Region).WithMany().HasForeignKey(x => x.RegionId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Outlets).WithOne(o => o.Enterprise).HasForeignKey(o => o.EnterpriseId).OnDelete(DeleteBehavior.Restrict);
            e.Navigation(x => x.Outlets).UsePropertyAccessMode(PropertyAccessMode.Field);
            e.Ignore(x => x.IsKeySource);
            e.HasQueryFilter(x => ScopeEverything
                || (ScopePath != null && x.Region.Path.StartsWith(ScopePath))
                || (ScopeEnterpriseId != null && x.Id == ScopeEnterpriseId));
        });

        b.Entity<Outlet>(e =>
        {
            e.Property(x => x.Code).HasMaxLength(16);
            e.HasIndex(x => new { x.EnterpriseId, x.Code }).IsUnique();
            e.Property(x => x.Name).HasMaxLength(64);
            e.Property(x => x.Standard).HasMaxLength(64);
            e.Property(x => x.ReferenceOxygen).HasPrecision(4, 1);
            e.Property(x => x.Longitude).HasPrecision(9, 6);
            e.Property(x => x.Latitude).HasPrecision(9, 6);
            e.OwnsMany(x => x.Factors, f =>
            {
                f.ToTable("OutletFactors");
                f.WithOwner().HasForeignKey(x => x.OutletId);
                f.HasKey(x => x.Id);
                f.Property(x => x.FactorCode).HasMaxLength(6);
                f.Property(x => x.Limit).HasPrecision(12, 4);
                f.HasIndex(x => new { x.OutletId, x.FactorCode }).IsUnique();
            });
            e.Navigation(x => x.Factors).UsePropertyAccessMode(PropertyAccessMode.Field);
            e.HasQueryFilter(x => ScopeEverything
                || (ScopePath != null && x.Enterprise.Region.Path.StartsWith(ScopePath))
                || (ScopeEnterpriseId != null && x.EnterpriseId == ScopeEnterpriseId));
        });

        b.Entity<Factor>(e =>
        {
            e.HasKey(x => x.Code);
            e.Property(x => x.Code).HasMaxLength(6);
            e.Property(x => x.Name).HasMaxLength(32);
            e.Property(x => x.Code2005).HasMaxLength(8);
            e.Property(x => x.Unit).HasMaxLength(16);
            e.Property(x => x.MassUnit).HasMaxLength(8);
        });

        b.Entity<Device>(e =>
        {
            e.Property(x => x.Mn).HasMaxLength(24);
            e.HasIndex(x => x.Mn).IsUnique();
            // Encrypted at rest; the model sees the clear value (Security/DevicePasswords).
            e.Property(x => x.AccessPassword).HasMaxLength(Security.DevicePasswords.StoredLength)
                .HasConversion(v => Security.DevicePasswords.Protect(v), v => Security.DevicePasswords.Unprotect(v));
            e.Property(x => x.Manufacturer).HasMaxLength(64);
            e.Property(x => x.Model).HasMaxLength(64);
            e.Property(x => x.InstalledBy).HasMaxLength(64);
            e.Property(x => x.AcceptedBy).HasMaxLength(64);
            e.Property(x => x.NetworkedBy).HasMaxLength(64);
            e.HasIndex(x => x.State);
            e.HasOne(x => x.Outlet).WithMany().HasForeignKey(x => x.OutletId).OnDelete(DeleteBehavior.Restrict);
            e.Ignore(x => x.NextState);
            e.HasQueryFilter(x => ScopeEverything
                || (ScopePath != null && x.Outlet.Enterprise.Region.Path.StartsWith(ScopePath))
                || (ScopeEnterpriseId != null && x.Outlet.EnterpriseId == ScopeEnterpriseId));
        });

        // Monitoring data: written by the ingestion path in bulk (see IngestStore), read through the same scope.
        b.Entity<RawPacket>(e =>
        {
            e.HasIndex(x => new { x.DeviceId, x.Seq }).IsUnique();
            // A device's clock reports (1011) alone, for its page: they are rare among its packets, and
            // the index costs the other inserts only the test of the filter.
            e.HasIndex(x => new { x.DeviceId, x.Seq }, "IX_RawPackets_ClockReports").HasFilter("\"Cn\" = 1011");
            e.HasIndex(x => x.ReceivedAtUtc);
            e.Property(x => x.Peer).HasMaxLength(64);
            e.Property(x => x.PrevHash).HasMaxLength(32);
            e.Property(x => x.Hash).HasMaxLength(32);
            e.HasQueryFilter(x => ScopeEverything || Set<Device>().Any(d => d.Id == x.DeviceId
                && ((ScopePath != null && d.Outlet.Enterprise.Region.Path.StartsWith(ScopePath))
                    || (ScopeEnterpriseId != null && d.Outlet.EnterpriseId == ScopeEnterpriseId))));
        });
        b.Entity<Reading>(e =>
        {
            // Outlet, kind and time first: every query asks for an outlet's readings of one kind over a
            // time range, and a frame's factors share those three, so its readings go to one index page.
            e.HasKey(x => new { x.OutletId, x.Kind, x.TimeUtc, x.FactorCode });
            e.Property(x => x.FactorCode).HasMaxLength(16);
            e.Property(x => x.Flag).HasMaxLength(4);
            FilterByOutlet(e, x => x.OutletId);
        });
        // Hour and day aggregates: derived from the readings by the validity rules; decisions are kept forever.
        b.Entity<HourAggregate>(e =>
        {
            e.HasKey(x => new { x.OutletId, x.FactorCode, x.HourUtc });
            e.Property(x => x.FactorCode).HasMaxLength(16);
            e.HasIndex(x => new { x.HourUtc, x.Status });
            FilterByOutlet(e, x => x.OutletId);
        });
        b.Entity<DayAggregate>(e =>
        {
            e.HasKey(x => new { x.OutletId, x.FactorCode, x.Day });
            e.Property(x => x.FactorCode).HasMaxLength(16);
            FilterByOutlet(e, x => x.OutletId);
        });
        // Comparison tests: a task per outlet and schedule key, with its lab samples and verdicts.
        b.Entity<ComparisonTask>(e =>
        {
            e.Property(x => x.Key).HasMaxLength(32);
            e.Property(x => x.Label).HasMaxLength(100);
            e.Property(x => x.AssignedTo).HasMaxLength(64);
            e.Property(x => x.EvaluatedBy).HasMaxLength(64);
            e.HasIndex(x => new { x.OutletId, x.Key }).IsUnique();
            e.HasIndex(x => new { x.State, x.Due });
            e.HasOne<Outlet>().WithMany().HasForeignKey(x => x.OutletId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Samples).WithOne().HasForeignKey(x => x.TaskId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Results).WithOne().HasForeignKey(x => x.TaskId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(x => x.Samples).UsePropertyAccessMode(PropertyAccessMode.Field);
            e.Navigation(x => x.Results).UsePropertyAccessMode(PropertyAccessMode.Field);
            FilterByOutlet(e, x => x.OutletId);
        });
        b.Entity<ComparisonSample>(e =>
        {
            e.Property(x => x.FactorCode).HasMaxLength(16);
            e.Property(x => x.Method).HasMaxLength(100);
        });
        b.Entity<ComparisonResult>(e =>
        {
            e.Property(x => x.FactorCode).HasMaxLength(16);
            e.Property(x => x.Description).HasMaxLength(200);
        });
        b.Entity<OperationNotice>(e =>
        {
            e.Property(x => x.Reason).HasMaxLength(500);
            e.Property(x => x.DecisionReason).HasMaxLength(500);
            e.Property(x => x.FiledBy).HasMaxLength(64);
            e.Property(x => x.DecidedBy).HasMaxLength(64);
            e.HasIndex(x => new { x.OutletId, x.FromUtc });
            e.HasOne<Outlet>().WithMany().HasForeignKey(x => x.OutletId).OnDelete(DeleteBehavior.Restrict);
            FilterByOutlet(e, x => x.OutletId);
        });
        // The total-quota ledger: targets, reduction measures and increments of a region, seen by the region and those above it.
        b.Entity<RegionTarget>(e =>
        {
            e.Property(x => x.Pollutant).HasMaxLength(8);
            e.Property(x => x.Source).HasMaxLength(200);
            e.Property(x => x.BaseTotal).HasPrecision(14, 3);
            e.Property(x => x.ReductionPercent).HasPrecision(6, 3);
            e.Property(x => x.CurrentTotal).HasPrecision(14, 3);
            e.HasIndex(x => new { x.RegionId, x.Pollutant, x.Year }).IsUnique();
            e.Ignore(x => x.AllowedTotal);
            e.HasOne<Region>().WithMany().HasForeignKey(x => x.RegionId).OnDelete(DeleteBehavior.Restrict);
            FilterByRegion(e, x => x.RegionId);
        });
        b.Entity<ReductionMeasure>(e =>
        {
            e.Property(x => x.Pollutant).HasMaxLength(8);
            e.Property(x => x.Description).HasMaxLength(200);
            e.Property(x => x.Evidence).HasMaxLength(500);
            e.Property(x => x.Amount).HasPrecision(14, 3);
            e.HasIndex(x => new { x.RegionId, x.Pollutant, x.Year });
            e.Ignore(x => x.Confirmed);
            e.Ignore(x => x.Available);
            // An amount serves one project only: the used amount is a concurrency token (two projects reserving at once
            // cannot both succeed on a stale figure), and the database refuses more than the measure's amount.
            e.Property(x => x.UsedAmount).HasPrecision(14, 3).IsConcurrencyToken();
            // SQLite keeps decimals as text: compare them as numbers on both databases.
            e.ToTable(t => t.HasCheckConstraint("CK_ReductionMeasures_UsedWithinAmount", "CAST(\"UsedAmount\" AS REAL) <= CAST(\"Amount\" AS REAL) + 0.0005"));
            e.HasOne<Region>().WithMany().HasForeignKey(x => x.RegionId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Enterprise>().WithMany().HasForeignKey(x => x.EnterpriseId).OnDelete(DeleteBehavior.Restrict);
            FilterByRegion(e, x => x.RegionId);
        });
        b.Entity<QuotaIncrement>(e =>
        {
            e.Property(x => x.Pollutant).HasMaxLength(8);
            e.Property(x => x.Project).HasMaxLength(200);
            e.Property(x => x.Source).HasMaxLength(200);
            e.Property(x => x.Amount).HasPrecision(14, 3);
            e.HasIndex(x => new { x.RegionId, x.Pollutant, x.Year });
            e.HasOne<Region>().WithMany().HasForeignKey(x => x.RegionId).OnDelete(DeleteBehavior.Restrict);
            FilterByRegion(e, x => x.RegionId);
        });
        b.Entity<RegionRestriction>(e =>
        {
            e.Property(x => x.Document).HasMaxLength(100);
            e.Property(x => x.LiftDocument).HasMaxLength(100);
            e.Property(x => x.Reason).HasMaxLength(500);
            e.HasIndex(x => x.RegionId);
            e.HasOne<Region>().WithMany().HasForeignKey(x => x.RegionId).OnDelete(DeleteBehavior.Restrict);
            FilterByRegion(e, x => x.RegionId);
        });
        b.Entity<InvestorListing>(e =>
        {
            e.Property(x => x.Investor).HasMaxLength(200);
            e.Property(x => x.Document).HasMaxLength(100);
            e.Property(x => x.Reason).HasMaxLength(500);
            e.HasIndex(x => x.Investor);
            e.HasOne<Region>().WithMany().HasForeignKey(x => x.RegionId).OnDelete(DeleteBehavior.Restrict);
            FilterByRegion(e, x => x.RegionId);
        });
        b.Entity<VerificationApplication>(e =>
        {
            e.Property(x => x.Project).HasMaxLength(200);
            e.Property(x => x.Investor).HasMaxLength(200);
            e.Property(x => x.QuotaSource).HasMaxLength(1000);
            e.Property(x => x.SubmittedBy).HasMaxLength(64);
            e.Property(x => x.Path).HasMaxLength(64);
            e.Property(x => x.Issuer).HasMaxLength(16);
            e.Ignore(x => x.Offices);
            e.Ignore(x => x.CurrentOffice);
            e.HasIndex(x => x.State);
            // Document numbers: one sequence per issuing office and year, no duplicates even under concurrent issuing.
            e.HasIndex(x => new { x.IssuerRegionId, x.DocumentYear, x.DocumentNumber }).IsUnique();
            e.HasOne<Region>().WithMany().HasForeignKey(x => x.RegionId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Amounts).WithOne().HasForeignKey(x => x.ApplicationId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Steps).WithOne().HasForeignKey(x => x.ApplicationId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(x => x.Amounts).UsePropertyAccessMode(PropertyAccessMode.Field);
            e.Navigation(x => x.Steps).UsePropertyAccessMode(PropertyAccessMode.Field);
            FilterByRegion(e, x => x.RegionId);
        });
        b.Entity<IssuedDocument>(e =>
        {
            e.HasKey(x => x.ApplicationId);
            e.Property(x => x.ApplicationId).ValueGeneratedNever();
            e.Property(x => x.Number).HasMaxLength(64);
            e.Property(x => x.Office).HasMaxLength(64);
            e.HasIndex(x => x.Number).IsUnique();
            e.HasOne<VerificationApplication>().WithOne().HasForeignKey<IssuedDocument>(x => x.ApplicationId).OnDelete(DeleteBehavior.Restrict);
            // Issued documents are public notices: anyone who may see the application may see its document, and the public page lists them all.
        });
        b.Entity<QuotaOffset>(e =>
        {
            e.Property(x => x.Pollutant).HasMaxLength(8);
            e.Property(x => x.Tonnes).HasPrecision(14, 3);
            e.HasIndex(x => x.ApplicationId);
            e.HasIndex(x => x.MeasureId);
            e.HasOne<VerificationApplication>().WithMany().HasForeignKey(x => x.ApplicationId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<ReductionMeasure>().WithMany().HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<ApplicationAttachment>(e =>
        {
            e.Property(x => x.FileName).HasMaxLength(200);
            e.Property(x => x.ContentType).HasMaxLength(100);
            e.Property(x => x.UploadedBy).HasMaxLength(64);
            e.HasIndex(x => x.ApplicationId);
            e.HasOne<VerificationApplication>().WithMany().HasForeignKey(x => x.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Warning>(e =>
        {
            e.Property(x => x.Subject).HasMaxLength(32);
            e.Property(x => x.Rule).HasMaxLength(32);
            e.Property(x => x.ClosedReason).HasMaxLength(200);
            e.Property(x => x.Message).HasMaxLength(300);
            e.Property(x => x.Evidence).HasMaxLength(2000);
            // One warning per subject and episode.
            e.HasIndex(x => new { x.Kind, x.RegionId, x.EnterpriseId, x.OutletId, x.Subject, x.Rule, x.StartUtc }).IsUnique();
            e.HasIndex(x => new { x.ClosedAtUtc, x.RaisedAtUtc });
            e.HasIndex(x => x.OutletId);
            e.Ignore(x => x.IsOpen);
            e.HasOne<Region>().WithMany().HasForeignKey(x => x.RegionId).OnDelete(DeleteBehavior.Restrict);
            FilterByRegionOrEnterprise(e, x => x.RegionId, x => x.EnterpriseId);
        });
        b.Entity<LinkageCase>(e =>
        {
            e.Property(x => x.Subject).HasMaxLength(300);
            e.Property(x => x.OpenedBy).HasMaxLength(64);
            e.Property(x => x.Assignee).HasMaxLength(64);
            e.Property(x => x.Findings).HasMaxLength(2000);
            e.Property(x => x.Measure).HasMaxLength(1000);
            e.HasIndex(x => new { x.State, x.Deadline });
            e.HasIndex(x => x.EnterpriseId);
            e.HasIndex(x => x.WarningId);
            e.HasOne<Region>().WithMany().HasForeignKey(x => x.RegionId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Enterprise>().WithMany().HasForeignKey(x => x.EnterpriseId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Steps).WithOne().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(x => x.Steps).UsePropertyAccessMode(PropertyAccessMode.Field);
            FilterByRegionOrEnterprise(e, x => x.RegionId, x => x.EnterpriseId);
        });
        b.Entity<CaseStep>(e =>
        {
            e.Property(x => x.Action).HasMaxLength(16);
            e.Property(x => x.Actor).HasMaxLength(64);
            e.Property(x => x.Note).HasMaxLength(1000);
        });
        b.Entity<CaseAttachment>(e =>
        {
            e.Property(x => x.FileName).HasMaxLength(200);
            e.Property(x => x.ContentType).HasMaxLength(100);
            e.Property(x => x.UploadedBy).HasMaxLength(64);
            e.HasIndex(x => x.CaseId);
            e.HasOne<LinkageCase>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Restrict);
        });
        // Inbox and outbox are addressed to users by name; pages read the signed-in user's own messages.
        b.Entity<InboxMessage>(e =>
        {
            e.Property(x => x.UserName).HasMaxLength(256);
            e.Property(x => x.Subject).HasMaxLength(200);
            e.Property(x => x.Body).HasMaxLength(2000);
            e.Property(x => x.Link).HasMaxLength(200);
            e.HasIndex(x => new { x.UserName, x.ReadAtUtc });
        });
        b.Entity<OutboxMessage>(e =>
        {
            e.Property(x => x.To).HasMaxLength(200);
            e.Property(x => x.Subject).HasMaxLength(200);
            e.Property(x => x.Body).HasMaxLength(2000);
            e.Property(x => x.LastError).HasMaxLength(500);
            e.HasIndex(x => x.SentAtUtc);
        });
        // Supervisory monitoring is the bureaus' business: enterprises do not see when they will be sampled.
        b.Entity<SupervisoryTask>(e =>
        {
            e.Property(x => x.Responsible).HasMaxLength(32);
            e.Property(x => x.CreatedBy).HasMaxLength(64);
            e.HasIndex(x => new { x.Year, x.Quarter, x.EnterpriseId, x.Kind, x.TreatmentEntryId });
            e.HasIndex(x => new { x.Due, x.DoneAtUtc });
            e.HasOne<Region>().WithMany().HasForeignKey(x => x.RegionId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Enterprise>().WithMany().HasForeignKey(x => x.EnterpriseId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Edits).WithOne().HasForeignKey(x => x.TaskId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(x => x.Edits).UsePropertyAccessMode(PropertyAccessMode.Field);
            FilterByRegion(e, x => x.RegionId);
        });
        b.Entity<SupervisoryTaskEdit>(e =>
        {
            e.Property(x => x.Field).HasMaxLength(16);
            e.Property(x => x.Before).HasMaxLength(64);
            e.Property(x => x.After).HasMaxLength(64);
            e.Property(x => x.Reason).HasMaxLength(200);
            e.Property(x => x.By).HasMaxLength(64);
        });
        b.Entity<SupervisorySample>(e =>
        {
            e.Property(x => x.Method).HasMaxLength(100);
            e.Property(x => x.ReportNumber).HasMaxLength(64);
            e.Property(x => x.EnteredBy).HasMaxLength(64);
            e.HasIndex(x => x.TaskId);
            e.Ignore(x => x.Exceeded);
            e.HasOne<SupervisoryTask>().WithMany().HasForeignKey(x => x.TaskId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Outlet>().WithMany().HasForeignKey(x => x.OutletId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Values).WithOne().HasForeignKey(x => x.SampleId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(x => x.Values).UsePropertyAccessMode(PropertyAccessMode.Field);
        });
        b.Entity<SupervisoryReport>(e =>
        {
            e.Property(x => x.ReportedBy).HasMaxLength(64);
            e.HasIndex(x => new { x.Year, x.Quarter });
            e.Ignore(x => x.OnTime);
        });
        b.Entity<SampleValue>(e =>
        {
            e.Property(x => x.FactorCode).HasMaxLength(16);
        });
        // Lists are documents of the bureau; their entries belong to a region and an enterprise, which reports its own progress.
        b.Entity<TreatmentList>(e =>
        {
            e.Property(x => x.DocumentNumber).HasMaxLength(64);
            e.HasIndex(x => x.DocumentNumber).IsUnique();
            e.Property(x => x.Title).HasMaxLength(200);
            e.Property(x => x.IssuedBy).HasMaxLength(64);
        });
        b.Entity<TreatmentEntry>(e =>
        {
            e.Property(x => x.Problem).HasMaxLength(100);
            e.Property(x => x.RequiredMeasures).HasMaxLength(1000);
            e.Property(x => x.Project).HasMaxLength(200);
            e.Property(x => x.Conclusion).HasMaxLength(500);
            e.HasIndex(x => new { x.State, x.Deadline });
            e.HasOne<TreatmentList>().WithMany().HasForeignKey(x => x.ListId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Region>().WithMany().HasForeignKey(x => x.RegionId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Enterprise>().WithMany().HasForeignKey(x => x.EnterpriseId).OnDelete(DeleteBehavior.Restrict);
            FilterByRegionOrEnterprise(e, x => x.RegionId, x => x.EnterpriseId);
        });
        b.Entity<TreatmentProgress>(e =>
        {
            e.Property(x => x.Works).HasMaxLength(1000);
            e.Property(x => x.FacilityOperation).HasMaxLength(500);
            e.Property(x => x.ReportedBy).HasMaxLength(64);
            e.HasIndex(x => x.EntryId);
            e.HasOne<TreatmentEntry>().WithMany().HasForeignKey(x => x.EntryId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<TreatmentCheck>(e =>
        {
            e.Property(x => x.Participants).HasMaxLength(200);
            e.Property(x => x.Findings).HasMaxLength(1000);
            e.Property(x => x.RecordedBy).HasMaxLength(64);
            e.HasIndex(x => x.EntryId);
            e.HasOne<TreatmentEntry>().WithMany().HasForeignKey(x => x.EntryId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<EnterpriseQuota>(e =>
        {
            e.Property(x => x.Pollutant).HasMaxLength(8);
            e.Property(x => x.Source).HasMaxLength(200);
            e.Property(x => x.Tonnes).HasPrecision(14, 3);
            e.HasIndex(x => new { x.EnterpriseId, x.Pollutant, x.Year }).IsUnique();
            e.HasOne<Enterprise>().WithMany().HasForeignKey(x => x.EnterpriseId).OnDelete(DeleteBehavior.Restrict);
            e.HasQueryFilter(x => ScopeEverything || Set<Enterprise>().Any(en => en.Id == x.EnterpriseId
                && ((ScopePath != null && en.Region.Path.StartsWith(ScopePath)) || (ScopeEnterpriseId != null && en.Id == ScopeEnterpriseId))));
        });
        b.Entity<AcceptanceCheck>(e =>
        {
            e.Property(x => x.CheckedBy).HasMaxLength(64);
            e.Ignore(x => x.Passed);
            e.HasIndex(x => x.ApplicationId);
            e.HasOne<VerificationApplication>().WithMany().HasForeignKey(x => x.ApplicationId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Enterprise>().WithMany().HasForeignKey(x => x.EnterpriseId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(x => x.AcceptanceId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(x => x.Lines).UsePropertyAccessMode(PropertyAccessMode.Field);
        });
        b.Entity<AcceptanceLine>(e =>
        {
            e.Property(x => x.Pollutant).HasMaxLength(8);
            e.Property(x => x.Verified).HasPrecision(14, 3);
            e.Property(x => x.Actual).HasPrecision(14, 3);
            e.Property(x => x.MonitoredTonnes).HasPrecision(14, 3);
            e.Ignore(x => x.Passed);
        });
        b.Entity<EiaApproval>(e =>
        {
            e.Property(x => x.EiaNumber).HasMaxLength(64);
            e.Property(x => x.ApprovedBy).HasMaxLength(64);
            e.HasIndex(x => x.ApplicationId).IsUnique();
            e.HasOne<VerificationApplication>().WithMany().HasForeignKey(x => x.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<ApplicationAmount>(e =>
        {
            e.Property(x => x.Pollutant).HasMaxLength(8);
            e.Property(x => x.Tonnes).HasPrecision(14, 3);
        });
        b.Entity<ReviewStep>(e =>
        {
            e.Property(x => x.Office).HasMaxLength(16);
            e.Property(x => x.Opinion).HasMaxLength(1000);
            e.Property(x => x.Signer).HasMaxLength(64);
        });
        b.Entity<AuditDecision>(e =>
        {
            e.Property(x => x.FactorCode).HasMaxLength(16);
            e.Property(x => x.Reason).HasMaxLength(500);
            e.Property(x => x.DecidedBy).HasMaxLength(64);
            e.HasIndex(x => new { x.OutletId, x.StartUtc });
            e.HasOne<Outlet>().WithMany().HasForeignKey(x => x.OutletId).OnDelete(DeleteBehavior.Restrict);
            FilterByOutlet(e, x => x.OutletId);
        });
        b.Entity<DeviceStatus>(e =>
        {
            e.HasKey(x => x.DeviceId);
            e.Property(x => x.DeviceId).ValueGeneratedNever();
            e.Property(x => x.LastPeer).HasMaxLength(64);
            e.HasQueryFilter(x => ScopeEverything || Set<Device>().Any(d => d.Id == x.DeviceId
                && ((ScopePath != null && d.Outlet.Enterprise.Region.Path.StartsWith(ScopePath))
                    || (ScopeEnterpriseId != null && d.Outlet.EnterpriseId == ScopeEnterpriseId))));
        });
        b.Entity<DeviceClockFault>(e =>
        {
            e.HasKey(x => x.DeviceId);
            e.Property(x => x.DeviceId).ValueGeneratedNever();
            e.Property(x => x.LastDataTime).HasMaxLength(32);
            e.HasOne<Device>().WithOne().HasForeignKey<DeviceClockFault>(x => x.DeviceId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(x => ScopeEverything || Set<Device>().Any(d => d.Id == x.DeviceId
                && ((ScopePath != null && d.Outlet.Enterprise.Region.Path.StartsWith(ScopePath))
                    || (ScopeEnterpriseId != null && d.Outlet.EnterpriseId == ScopeEnterpriseId))));
        });
        // Duplicate detection: one row per device, command and DataTime ever received.
        b.Entity<PacketKey>(e =>
        {
            e.ToTable("PacketKeys");
            e.HasKey(x => new { x.DeviceId, x.Cn, x.DataTimeUtc });
        });

        // Coordination of instances on one database: the recompute queue and the jobs' leases.
        b.Entity<Monitoring.RecomputeRequest>(e =>
        {
            e.ToTable("RecomputeRequests");
            e.HasKey(x => x.OutletId);
            e.Property(x => x.OutletId).ValueGeneratedNever();
            e.Property(x => x.ClaimedBy).HasMaxLength(24);
        });
        b.Entity<JobLease>(e =>
        {
            e.ToTable("JobLeases");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(64);
            e.Property(x => x.Holder).HasMaxLength(24);
        });

        b.Entity<AuditEntry>(e =>
        {
            e.Property(x => x.Actor).HasMaxLength(64);
            e.Property(x => x.Entity).HasMaxLength(64);
            e.Property(x => x.Key).HasMaxLength(160);
            e.Property(x => x.Action).HasMaxLength(16);
            e.HasIndex(x => x.AtUtc);
            e.HasIndex(x => new { x.Entity, x.Key });
        });

        ApplyChildFilters(b);
        RequireScopeDeclarations(b);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken ct = default)
    {
        ChangeTracker.DetectChanges();
        await EnforceScopeAsync(ct);
        var drafts = AuditDraft.Collect(ChangeTracker);
        if (drafts.Count == 0)
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, ct);

        // The change and its audit rows commit together. Keys generated by the first save are
        // read back before the audit rows are written.
        var own = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(ct) : null;
        try
        {
            var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess: true, ct);
            var at = _clock.GetUtcNow().UtcDateTime;
            AuditEntries.AddRange(drafts.Select(d => d.Complete(at, Scope.Actor)));
            await base.SaveChangesAsync(acceptAllChangesOnSuccess: true, ct);
            if (own is not null) await own.CommitAsync(ct);
            return saved;
        }
        finally
        {
            if (own is not null) await own.DisposeAsync();
        }
    }

    /// <summary>
    /// Refuses a write that touches a record outside the scope, or that moves a record there:
    /// the same rule the query filters apply to reads.
    /// </summary>
    private async Task EnforceScopeAsync(CancellationToken ct)
    {
        var scope = Scope;
        if (scope.Everything) return;
        foreach (var entry in ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList())
        {
            // A child is in scope when its parent is: a parent added in the same save is checked as itself;
            // otherwise the parent must be visible through the query filters.
            var allowed = entry.Entity switch
            {
                Enterprise x => await EnterpriseInScopeAsync(x, entry, ct),
                Outlet => await ParentInScopeAsync(Enterprises, entry.Property(nameof(Outlet.EnterpriseId)).CurrentValue, ct),
                OutletFactor => await ParentInScopeAsync(Outlets, entry.Property(nameof(OutletFactor.OutletId)).CurrentValue, ct),
                Device => await ParentInScopeAsync(Outlets, entry.Property(nameof(Device.OutletId)).CurrentValue, ct),
                AuditDecision => await ParentInScopeAsync(Outlets, entry.Property(nameof(AuditDecision.OutletId)).CurrentValue, ct),
                ComparisonTask => await ParentInScopeAsync(Outlets, entry.Property(nameof(ComparisonTask.OutletId)).CurrentValue, ct),
                EnterpriseQuota => await ParentInScopeAsync(Enterprises, entry.Property(nameof(EnterpriseQuota.EnterpriseId)).CurrentValue, ct),
                RegionTarget or ReductionMeasure or QuotaIncrement or RegionRestriction or InvestorListing or VerificationApplication => await RegionInScopeAsync(entry, ct),
                OperationNotice => await ParentInScopeAsync(Outlets, entry.Property(nameof(OperationNotice.OutletId)).CurrentValue, ct),
                Warning or LinkageCase or SupervisoryTask or TreatmentEntry => await RegionInScopeAsync(entry, ct),
                // Derived data is written by the aggregation job and the listener only (system scope).
                HourAggregate or DayAggregate or DeviceClockFault or RawPacket or Reading or DeviceStatus => false,
                IssuedDocument x => await ParentVisibleAsync(typeof(VerificationApplication), x.ApplicationId, ct),
                // The children declared with their parent (Children), then the declared unscoped records; nothing falls through.
                _ when Children.TryGetValue(entry.Metadata.ClrType, out var c) => await ParentVisibleAsync(c.Parent, entry.Property(c.Key).CurrentValue, ct),
                _ when Unscoped.TryGetValue(entry.Metadata.ClrType, out var u) => u.UsersWrite,
                _ when IsIdentityTable(entry.Metadata.ClrType) => true,
                _ => false,
            };
            if (!allowed)
                throw new ScopeViolationException($"{scope.Actor} may not change {entry.Metadata.ClrType.Name} outside its scope");
        }
    }

    /// <summary>Whether the parent record of a declared child is visible to the scope (added in this save counts).</summary>
    private Task<bool> ParentVisibleAsync(Type parent, object? key, CancellationToken ct) =>
        (Task<bool>)ParentOfTypeVisible.MakeGenericMethod(parent).Invoke(this, [key, ct])!;

    private static readonly System.Reflection.MethodInfo ParentOfTypeVisible =
        typeof(ZongliangDbContext).GetMethod(nameof(ParentOfTypeVisibleAsync), System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!;

    private Task<bool> ParentOfTypeVisibleAsync<TParent>(object? key, CancellationToken ct) where TParent : class => ParentInScopeAsync(Set<TParent>(), key, ct);

    private async Task<bool> ParentInScopeAsync<TParent>(DbSet<TParent> parents, object? key, CancellationToken ct) where TParent : class
    {
        if (ChangeTracker.Entries<TParent>().Any(e => e.State == EntityState.Added && Equals(e.Property("Id").CurrentValue, key)))
            return true;
        return key switch
        {
            int id => await parents.AnyAsync(p => EF.Property<int>(p, "Id") == id, ct),
            long id => await parents.AnyAsync(p => EF.Property<long>(p, "Id") == id, ct),
            _ => false,
        };
    }

    /// <summary>A region-owned record: its region (before and after the change) must be in the scope; enterprises own none.</summary>
    private async Task<bool> RegionInScopeAsync(EntityEntry entry, CancellationToken ct)
    {
        if (Scope.EnterpriseId is not null)
            return false;
        var ids = new HashSet<int> { (int)entry.Property("RegionId").CurrentValue! };
        if (entry.State != EntityState.Added)
            ids.Add((int)entry.Property("RegionId").OriginalValue!);
        var paths = await Regions.Where(r => ids.Contains(r.Id)).Select(r => r.Path).ToListAsync(ct);
        return paths.Count == ids.Count && paths.All(Scope.CoversRegion);
    }

    private async Task<bool> EnterpriseInScopeAsync(Enterprise x, EntityEntry entry, CancellationToken ct)
    {
        if (Scope.EnterpriseId is { } own)
            return entry.State == EntityState.Modified && x.Id == own && !entry.Property(nameof(Enterprise.RegionId)).IsModified;
        var regionIds = new HashSet<int> { x.RegionId };
        if (entry.State != EntityState.Added)
            regionIds.Add((int)entry.Property(nameof(Enterprise.RegionId)).OriginalValue!);
        var paths = await Regions.Where(r => regionIds.Contains(r.Id)).Select(r => r.Path).ToListAsync(ct);
        return paths.Count == regionIds.Count && paths.All(Scope.CoversRegion);
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v, DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    /// <summary>What an audit row needs, taken before the save (old values) and finished after it (keys, new values).</summary>
    private sealed class AuditDraft
    {
        // Properties Identity rewrites on every sign-in or that hold secrets: never logged.
        private static readonly HashSet<string> Ignored =
        [
            nameof(AppUser.ConcurrencyStamp), nameof(AppUser.SecurityStamp), nameof(AppUser.AccessFailedCount),
            nameof(AppUser.LockoutEnd), nameof(AppUser.NormalizedEmail), nameof(AppUser.NormalizedUserName),
        ];
        private static readonly HashSet<string> Redacted = [nameof(AppUser.PasswordHash), nameof(Device.AccessPassword)];

        private readonly EntityEntry _entry;
        private readonly string _action;
        private readonly Dictionary<string, object?> _before = [];
        private readonly List<PropertyEntry> _changed = [];
        private readonly string? _keyBeforeSave;

        private AuditDraft(EntityEntry entry)
        {
            _entry = entry;
            _action = entry.State.ToString();
            foreach (var p in entry.Properties)
            {
                var name = p.Metadata.Name;
                if (Ignored.Contains(name) || p.Metadata.IsShadowProperty() && p.Metadata.IsKey()) continue;
                // Identity's store marks every column modified on update: only real changes count.
                if (entry.State == EntityState.Modified && (!p.IsModified || Equals(p.OriginalValue, p.CurrentValue))) continue;
                if (entry.State != EntityState.Added) _before[name] = Show(name, p.OriginalValue);
                _changed.Add(p);
            }
            if (entry.State != EntityState.Added) _keyBeforeSave = KeyOf(entry);
        }

        private static string KeyOf(EntityEntry entry) =>
            string.Join("/", entry.Metadata.FindPrimaryKey()!.Properties.Select(p => entry.Property(p.Name).CurrentValue?.ToString()));

        public static List<AuditDraft> Collect(ChangeTracker tracker) =>
            tracker.Entries()
                .Where(e => e.Entity is not AuditEntry && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
                // Tokens and cookie keys are secrets, and not changes anyone made; monitoring data has its own evidence (the raw archive).
                .Where(e => e.Entity is not (Microsoft.AspNetCore.Identity.IdentityUserToken<string> or DataProtectionKey
                    or RawPacket or Reading or DeviceStatus or DeviceClockFault or PacketKey or Monitoring.RecomputeRequest or JobLease or HourAggregate or DayAggregate or IssuedDocument or ApplicationAttachment
                    // Warnings are derived from data; messages are deliveries, not changes; a case's steps are its own history.
                    or Warning or InboxMessage or OutboxMessage or CaseAttachment))
                .Select(e => new AuditDraft(e))
                .Where(d => d._changed.Count > 0)
                .ToList();

        public AuditEntry Complete(DateTime atUtc, string actor)
        {
            var after = _action == nameof(EntityState.Deleted)
                ? new Dictionary<string, object?>()
                : _changed.ToDictionary(p => p.Metadata.Name, p => Show(p.Metadata.Name, p.CurrentValue));
            return new AuditEntry
            {
                AtUtc = atUtc,
                Actor = actor,
                Entity = _entry.Metadata.ClrType.Name.Split('`')[0],
                Key = _keyBeforeSave ?? KeyOf(_entry),
                Action = _action,
                Before = JsonSerializer.Serialize(_before, JsonOptions),
                After = JsonSerializer.Serialize(after, JsonOptions),
            };
        }

        private static object? Show(string name, object? value) =>
            Redacted.Contains(name) && value is not null ? "***" : value;

        private static readonly JsonSerializerOptions JsonOptions = new()
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
        };
    }
}
