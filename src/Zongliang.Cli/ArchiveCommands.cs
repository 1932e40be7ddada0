using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Zongliang.Data;
using Zongliang.Data.Monitoring;

namespace Zongliang.Cli;

public static class ArchiveCommands
{
    public static Command Create()
    {
        var verify = new Command("verify", "Check the hash chains of the raw packet archive; report altered, missing or inserted packets (exit 1 if any)");
        verify.SetAction(async (_, ct) =>
        {
            await using var services = CliHost.Build();
            await using var scope = services.SystemScope("zl archive verify");
            var report = await ArchiveVerifier.VerifyAsync(scope.ServiceProvider.GetRequiredService<ZongliangDbContext>(), ct);
            foreach (var p in report.Problems)
                Console.WriteLine($"device {p.DeviceId} packet {p.Seq}: {p.Problem}");
            Console.WriteLine(report.Intact
                ? $"archive intact: {report.Packets} packets of {report.Devices} devices"
                : $"archive NOT intact: {report.Problems.Count} problems in {report.Packets} packets of {report.Devices} devices");
            return report.Intact ? 0 : 1;
        });
        return new Command("archive", "The raw packet archive") { verify };
    }
}
