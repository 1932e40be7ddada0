using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Data.Identity;
using Zongliang.Domain.Registry;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Registry;

public sealed record RegionDto(int Id, string Code, string Name, RegionKind Kind, int? ParentId);

public sealed record EnterpriseDto(int Id, string Name, string CreditCode, int RegionId, string RegionName, string Industry, string Address,
    string Contact, string Phone, ControlLevel ControlLevel, ProductionMode ProductionMode, string ProductionPeriods, int CoalBoilers, decimal CoalBoilerCapacity)
{
    public static EnterpriseDto From(Enterprise e) => new(e.Id, e.Name, e.CreditCode, e.RegionId, e.Region.Name, e.Industry, e.Address,
        e.Contact, e.Phone, e.ControlLevel, e.ProductionMode, e.ProductionPeriods, e.CoalBoilers, e.CoalBoilerCapacity);
}

public sealed record OutletFactorDto(string FactorCode, decimal? Limit);

public sealed record OutletDto(int Id, int EnterpriseId, string EnterpriseName, string Code, string Name, Medium Medium, string Standard,
    decimal? ReferenceOxygen, decimal? Longitude, decimal? Latitude, IReadOnlyList<OutletFactorDto> Factors)
{
    public static OutletDto From(Outlet o) => new(o.Id, o.EnterpriseId, o.Enterprise.Name, o.Code, o.Name, o.Medium, o.Standard,
        o.ReferenceOxygen, o.Longitude, o.Latitude, o.Factors.Select(f => new OutletFactorDto(f.FactorCode, f.Limit)).ToList());
}

public sealed record FactorDto(string Code, string Name, string Code2005, Medium Medium, string Unit, string MassUnit, bool IsParameter)
{
    public static FactorDto From(Factor f) => new(f.Code, f.Name, f.Code2005, f.Medium, f.Unit, f.MassUnit, f.IsParameter);
}

public sealed record DeviceDto(int Id, string Mn, int OutletId, string OutletName, int EnterpriseId, string EnterpriseName, string RegionName,
    string Manufacturer, string Model, DeviceState State, DateOnly? InstalledOn, string? InstalledBy, DateOnly? AcceptedOn, string? AcceptedBy,
    DateOnly? NetworkedOn, string? NetworkedBy)
{
    // The access password is not sent: the listener reads it from the database, people see it on the page.
    public static DeviceDto From(Device d) => new(d.Id, d.Mn, d.OutletId, d.Outlet.Name, d.Outlet.EnterpriseId, d.Outlet.Enterprise.Name,
        d.Outlet.Enterprise.Region.Name, d.Manufacturer, d.Model, d.State, d.InstalledOn, d.InstalledBy, d.AcceptedOn, d.AcceptedBy,
        d.NetworkedOn, d.NetworkedBy);
}

public sealed record LoginRequest(string UserName, string Password);

/// <summary>/api/v1 for the registry: same scope (the context's filters) and the same role policies as the pages.</summary>
public static class RegistryApi
{
    public static WebApplication MapRegistryApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Registry");

        api.MapPost("/session", SignIn).AllowAnonymous().WithSummary("Sign in with a user name and password (sets the session cookie)");
        api.MapDelete("/session", SignOut);

        api.MapGet("/regions", async (ZongliangDbContext db, CancellationToken ct) =>
            TypedResults.Ok(await RegistryQueries.ScopedRegions(db).OrderBy(r => r.Path)
                .Select(r => new RegionDto(r.Id, r.Code, r.Name, r.Kind, r.ParentId)).ToListAsync(ct)));

        api.MapGet("/enterprises", async (ZongliangDbContext db, [AsParameters] ListQuery q, CancellationToken ct) =>
            TypedResults.Ok(await PageOf(await RegistryQueries.EnterprisesAsync(db, q.Filter, ct), q, EnterpriseDto.From, ct)));
        api.MapGet("/enterprises/{id:int}", async Task<Results<Ok<EnterpriseDto>, NotFound>> (int id, ZongliangDbContext db, CancellationToken ct) =>
            await db.Enterprises.Include(e => e.Region).FirstOrDefaultAsync(e => e.Id == id, ct) is { } e ? TypedResults.Ok(EnterpriseDto.From(e)) : TypedResults.NotFound());
        api.MapPost("/enterprises", (EnterpriseInput input, RegistryEditor editor, CancellationToken ct) =>
            Respond(editor.SaveEnterpriseAsync(null, input, ct), "/api/v1/enterprises/")).RequireAuthorization(Policies.RegistryWrite);
        api.MapPut("/enterprises/{id:int}", (int id, EnterpriseInput input, RegistryEditor editor, CancellationToken ct) =>
            Respond(editor.SaveEnterpriseAsync(id, input, ct), null)).RequireAuthorization(Policies.RegistryWrite);

        api.MapGet("/outlets", async (ZongliangDbContext db, [AsParameters] ListQuery q, CancellationToken ct) =>
            TypedResults.Ok(await PageOf(await RegistryQueries.OutletsAsync(db, q.Filter, ct), q, OutletDto.From, ct)));
        api.MapGet("/outlets/{id:int}", async Task<Results<Ok<OutletDto>, NotFound>> (int id, ZongliangDbContext db, CancellationToken ct) =>
            await db.Outlets.Include(o => o.Enterprise).FirstOrDefaultAsync(o => o.Id == id, ct) is { } o ? TypedResults.Ok(OutletDto.From(o)) : TypedResults.NotFound());
        api.MapPost("/outlets", (OutletInput input, RegistryEditor editor, CancellationToken ct) =>
            Respond(editor.SaveOutletAsync(null, input, ct), "/api/v1/outlets/")).RequireAuthorization(Policies.RegistryWrite);
        api.MapPut("/outlets/{id:int}", (int id, OutletInput input, RegistryEditor editor, CancellationToken ct) =>
            Respond(editor.SaveOutletAsync(id, input, ct), null)).RequireAuthorization(Policies.RegistryWrite);

        api.MapGet("/factors", async (ZongliangDbContext db, CancellationToken ct) =>
            TypedResults.Ok((await db.Factors.OrderBy(f => f.Code).ToListAsync(ct)).Select(FactorDto.From)));

        api.MapGet("/devices", async (ZongliangDbContext db, [AsParameters] ListQuery q, CancellationToken ct) =>
            TypedResults.Ok(await PageOf(await RegistryQueries.DevicesAsync(db, q.Filter, ct), q, DeviceDto.From, ct)));
        api.MapGet("/devices/{id:int}", async Task<Results<Ok<DeviceDto>, NotFound>> (int id, ZongliangDbContext db, CancellationToken ct) =>
            await db.Devices.Include(d => d.Outlet).ThenInclude(o => o.Enterprise).ThenInclude(e => e.Region).FirstOrDefaultAsync(d => d.Id == id, ct) is { } d
                ? TypedResults.Ok(DeviceDto.From(d)) : TypedResults.NotFound());
        api.MapPost("/devices", (DeviceInput input, RegistryEditor editor, CancellationToken ct) =>
            Respond(editor.SaveDeviceAsync(null, input, ct), "/api/v1/devices/")).RequireAuthorization(Policies.RegistryWrite);
        api.MapPut("/devices/{id:int}", (int id, DeviceInput input, RegistryEditor editor, CancellationToken ct) =>
            Respond(editor.SaveDeviceAsync(id, input, ct), null)).RequireAuthorization(Policies.RegistryWrite);
        api.MapPost("/devices/{id:int}/milestones", (int id, MilestoneInput input, RegistryEditor editor, CancellationToken ct) =>
            Respond(editor.AdvanceDeviceAsync(id, input, ct), null)).RequireAuthorization(Policies.DeviceLifecycle)
            .WithSummary("Record the device's next milestone: Installed, Accepted or Networked");
        api.MapGet("/devices/progress", async (ZongliangDbContext db, CancellationToken ct) =>
        {
            var (rows, total) = await RegistryQueries.ProgressAsync(db, ct);
            return TypedResults.Ok(new { rows, total });
        });
        return app;
    }

    public sealed record ListQuery(int? RegionId, string? Q, int? EnterpriseId, DeviceState? State, Medium? Medium, int? Page, int? PageSize)
    {
        public RegistryFilter Filter => new(RegionId, Q, EnterpriseId, State, Medium, Page ?? 1, PageSize ?? 50);
    }

    private static async Task<Paged<TDto>> PageOf<T, TDto>(IQueryable<T> query, ListQuery q, Func<T, TDto> map, CancellationToken ct)
    {
        var page = await Paged<T>.CreateAsync(query, q.Filter.Page, q.Filter.PageSize, ct);
        return new Paged<TDto>(page.Items.Select(map).ToList(), page.Page, page.PageSize, page.Total);
    }

    private static async Task<Results<Ok<object>, Created<object>, ValidationProblem, NotFound>> Respond(Task<EditResult> edit, string? createdAt)
    {
        var r = await edit;
        if (r.NotFound) return TypedResults.NotFound();
        if (!r.Succeeded) return TypedResults.ValidationProblem(r.Errors, title: "输入有误");
        object body = new { id = r.Key };
        return createdAt is null ? TypedResults.Ok(body) : TypedResults.Created(createdAt + r.Key, body);
    }

    private static async Task<Results<Ok, UnauthorizedHttpResult, ValidationProblem, ProblemHttpResult>> SignIn(LoginRequest? login, Account.SignInService signIn,
        HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(login?.UserName) || string.IsNullOrEmpty(login.Password) || login.UserName.Length > 256 || login.Password.Length > 1024)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["userName"] = ["请输入用户名和密码"] });
        var outcome = await signIn.SignInAsync(login.UserName, login.Password, http.Connection.RemoteIpAddress, ct);
        return outcome.Kind switch
        {
            Account.SignInResultKind.Succeeded => TypedResults.Ok(),
            Account.SignInResultKind.Throttled => TypedResults.Problem(Account.SignInService.Message(outcome), statusCode: StatusCodes.Status429TooManyRequests),
            _ => TypedResults.Unauthorized(),
        };
    }

    private static async Task<Ok> SignOut(Account.SignInService signIn, HttpContext http, CancellationToken ct)
    {
        await signIn.SignOutAsync(http.User, ct);
        return TypedResults.Ok();
    }
}
