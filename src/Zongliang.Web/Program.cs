using Serilog;
using Zongliang.Web.Features.Ingestion;
using Zongliang.Web.Features.Monitoring;
using Zongliang.Web.Features.Quotas;
using Zongliang.Web.Features.Registry;
using Zongliang.Web.Features.Warnings;
using Zongliang.Web.Features.Supervision;
using Zongliang.Web.Hosting;

Formats.UseForPages();
var builder = WebApplication.CreateBuilder(DemoMode.Apply(args));
builder.Host.UseSerilog((ctx, log) => log.ReadFrom.Configuration(ctx.Configuration).DemoQuiet(ctx.Configuration).WriteTo.Console(ctx.Configuration.GetValue<bool>("Logging:Json")
    ? new Serilog.Formatting.Compact.CompactJsonFormatter()
    : new Serilog.Formatting.Display.MessageTemplateTextFormatter("[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")));

builder.Services.AddZongliangWeb(builder.Configuration);
builder.Services.AddMonitoring(builder.Configuration);
builder.Services.AddWarnings(builder.Configuration);
builder.Services.AddHttpClient();
builder.Services.AddQuotas(builder.Configuration);
builder.AddHj212Listener();

var app = builder.Build();
await app.InitializeDatabaseAsync();
app.UseZongliangWeb();
app.MapRegistryApi();
app.MapMonitoringReports();
app.MapQuotaExports();
app.MapQuotaApi();
app.MapSupervisionReport();
app.Run();

public partial class Program;
