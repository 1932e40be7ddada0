using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Zongliang.Data;
using Zongliang.Domain.Registry;

namespace Zongliang.Cli;

/// <summary>`zl device password --mn MN`: a replaced logger, a leaked PW.</summary>
public static class DeviceCommands
{
    public static Command Create()
    {
        var mn = new Option<string>("--mn") { Description = "The device's MN (unique identifier)", Required = true };
        var password = new Command("password",
            "Set a device's access password (PW), read from standard input (one line), never from the command line. " +
            "The change is audited (without the password); the running listener uses it within 10 s.")
        {
            mn,
        };
        password.SetAction(async (pr, ct) =>
        {
            await using var services = CliHost.Build();
            await DatabaseInitializer.InitializeAsync(services, ct);
            return await SetPasswordAsync(services, pr.GetValue(mn)!, CliHost.ReadSecret("access password: "), ct);
        });
        return new Command("device", "Site-end devices") { password };
    }

    private static async Task<int> SetPasswordAsync(IServiceProvider services, string mn, string? password, CancellationToken ct)
    {
        password = password?.Trim();
        if (string.IsNullOrEmpty(password)) return Fail("no password given on standard input");
        // HJ 212-2017 table 4: PW is up to 6 characters.
        if (!Device.IsValidAccessPassword(password)) return Fail("the access password is 1 to 6 letters or digits (HJ 212-2017 table 4)");
        await using var scope = services.SystemScope("zl device password");
        var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();
        var normalised = mn.Trim().ToUpperInvariant();
        var device = await db.Devices.FirstOrDefaultAsync(d => d.Mn == normalised, ct);
        if (device is null) return Fail($"no device with MN {mn}");
        device.AccessPassword = password;
        await db.SaveChangesAsync(ct);
        Console.WriteLine($"access password of device {device.Mn} set");
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("zl: " + message);
        return 2;
    }
}
