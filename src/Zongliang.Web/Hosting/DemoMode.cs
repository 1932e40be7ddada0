namespace Zongliang.Web.Hosting;

/// <summary>`--demo` on the command line: load the demo city and its accounts on first start.</summary>
public static class DemoMode
{
    public static string[] Apply(string[] args) =>
        args.Select(a => a == "--demo" ? "--Zongliang:Demo=true" : a).ToArray();

    /// <summary>
    /// The demo runs without a certificate for the cookie keys, as a newcomer's machine has none: ASP.NET's
    /// warning that they are stored unencrypted is left out of its log (the README says so; a production
    /// instance without Security:DataProtectionCertificate still shows it).
    /// </summary>
    public static Serilog.LoggerConfiguration DemoQuiet(this Serilog.LoggerConfiguration log, IConfiguration config) =>
        config.GetValue<bool>("Zongliang:Demo") && string.IsNullOrEmpty(config["Security:DataProtectionCertificate"])
            ? log.MinimumLevel.Override("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", Serilog.Events.LogEventLevel.Error)
            : log;
}
