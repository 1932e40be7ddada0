using System.CommandLine;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Zongliang.Data;
using Zongliang.Data.Identity;
using Zongliang.Domain.Access;

namespace Zongliang.Cli;

public static class UserCommands
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "User name to sign in with", Required = true };
        var role = new Option<string>("--role") { Description = "One of: " + string.Join(", ", Roles.All), Required = true };
        var display = new Option<string?>("--display") { Description = "Name shown in the platform (person and office)" };
        var region = new Option<string?>("--region") { Description = "Region code (6 digits) for city, section and county roles" };
        var enterprise = new Option<string?>("--enterprise") { Description = "Unified social credit code, for enterprise users" };

        var add = new Command("add", "Create a user. The password is read from standard input (one line), never from the command line.")
        {
            name, role, display, region, enterprise,
        };
        add.SetAction(async (pr, ct) =>
        {
            await using var services = CliHost.Build();
            await DatabaseInitializer.InitializeAsync(services, ct);
            return await AddAsync(services, pr.GetValue(name)!, pr.GetValue(role)!, pr.GetValue(display), pr.GetValue(region), pr.GetValue(enterprise), ct);
        });

        return new Command("user", "Users and roles") { add };
    }

    private static async Task<int> AddAsync(IServiceProvider services, string name, string role, string? display, string? regionCode, string? creditCode, CancellationToken ct)
    {
        if (!Roles.All.Contains(role))
            return Fail($"unknown role '{role}'; use one of: {string.Join(", ", Roles.All)}");
        if (Roles.IsRegional(role) && regionCode is null)
            return Fail($"role {role} works for a region: give --region with its 6-digit code");
        if (role == Roles.Enterprise && creditCode is null)
            return Fail("an enterprise user needs --enterprise with the enterprise's unified social credit code");

        await using var scope = services.SystemScope("zl user add");
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<ZongliangDbContext>();
        var user = new AppUser { UserName = name, DisplayName = display ?? name };
        if (Roles.BindsRegion(role, regionCode is not null))
        {
            var region = await db.Regions.FirstOrDefaultAsync(r => r.Code == regionCode, ct);
            if (region is null) return Fail($"no region with code {regionCode}");
            user.RegionId = region.Id;
        }
        if (role == Roles.Enterprise)
        {
            var e = await db.Enterprises.FirstOrDefaultAsync(x => x.CreditCode == creditCode!.ToUpper(), ct);
            if (e is null) return Fail($"no enterprise with credit code {creditCode}");
            user.EnterpriseId = e.Id;
        }

        var password = CliHost.ReadSecret("password: ");
        if (string.IsNullOrEmpty(password)) return Fail("no password given on standard input");

        var users = sp.GetRequiredService<UserManager<AppUser>>();
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
            return Fail(string.Join("; ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, role);
        Console.WriteLine($"user {name} created with role {role}");
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("zl: " + message);
        return 2;
    }
}
