using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Serilog;
using Zongliang.Data;
using Zongliang.Data.Seeding;

namespace Zongliang.Web.Hosting;

public static class WebServices
{
    public static IServiceCollection AddZongliangWeb(this IServiceCollection services, IConfiguration config)
    {
        services.AddZongliangData(config)
            .AddSignInManager()
            .AddClaimsPrincipalFactory<ScopeClaimsFactory>();

        var dataProtection = services.AddDataProtection().SetApplicationName("Zongliang").PersistKeysToDbContext<ZongliangDbContext>();
        if (config["Security:DataProtectionCertificate"] is { Length: > 0 } certificate)
            // The cookie keys are encrypted at rest with the configured certificate (PFX).
            dataProtection.ProtectKeysWithCertificate(
                System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(certificate, config["Security:DataProtectionCertificatePassword"]));
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "zl.auth";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.LoginPath = "/Account/Login";
            o.LogoutPath = "/Account/Logout";
            o.AccessDeniedPath = "/Account/AccessDenied";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            // The API answers 401/403; only pages redirect to the sign-in page.
            o.Events.OnRedirectToLogin = ctx => ApiOr(ctx.HttpContext, StatusCodes.Status401Unauthorized, () => ctx.Response.Redirect(ctx.RedirectUri));
            o.Events.OnRedirectToAccessDenied = ctx => ApiOr(ctx.HttpContext, StatusCodes.Status403Forbidden, () => ctx.Response.Redirect(ctx.RedirectUri));
            // Secure whenever the platform is served over HTTPS (behind a proxy: with forwarded headers).
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        // The security stamp is checked on every request: signing out renews it, so a copied cookie stops
        // working at once, and a changed role or region reaches the user's next request.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        services.AddSingleton<Features.Account.SignInThrottle>();
        services.AddScoped<Features.Account.SignInService>();
        services.AddAuthorization(Policies.Add);

        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Features";
                o.Conventions.AllowAnonymousToPage("/Account/Login");
                o.Conventions.AllowAnonymousToPage("/Account/AccessDenied");
                o.Conventions.AuthorizeFolder("/System", Policies.Administration);
            })
            .AddMvcOptions(o => ChineseMessages.Apply(o.ModelBindingMessageProvider));

        services.AddTransient<Features.Registry.RegistryEditor>();
        // Chinese text goes into pages as it is, not as numeric character references.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));

        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
        });
        services.AddOpenApi("v1");
        services.AddProblemDetails();
        services.AddExceptionHandler<ScopeViolationHandler>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return services;
    }

    public static WebApplication UseZongliangWeb(this WebApplication app)
    {
        // First, so that error pages (the exception handler clears the headers set before it) get them too.
        app.Use(SecurityHeaders);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSerilogRequestLogging();
        // An instance without the web role answers only its health check.
        if (!HostRoles.From(app.Configuration).Web)
            app.Use((ctx, next) =>
            {
                if (ctx.Request.Path.StartsWithSegments("/health")) return next(ctx);
                ctx.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        // Plain files from wwwroot (with asp-append-version for cache busting); served before authentication.
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        // The one place where the signed-in user's role and region become the data scope.
        app.Use((ctx, next) =>
        {
            ctx.RequestServices.GetRequiredService<ScopeAccessor>().Scope = ScopeClaims.ToScope(ctx.User);
            return next(ctx);
        });
        app.UseAuthorization();
        // A password given by an administrator is changed before anything else is done with it.
        app.Use((ctx, next) =>
        {
            if (ctx.User.HasClaim(c => c.Type == ScopeClaims.MustChangePassword)
                && !ctx.Request.Path.StartsWithSegments("/Account/ChangePassword") && !ctx.Request.Path.StartsWithSegments("/Account/Logout")
                && !ctx.Request.Path.StartsWithSegments("/health"))
            {
                if (ctx.Request.Path.StartsWithSegments("/api")) ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                else ctx.Response.Redirect("/Account/ChangePassword");
                return Task.CompletedTask;
            }
            return next(ctx);
        });
        app.MapRazorPages();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapHealthChecks("/health").AllowAnonymous();
        return app;
    }

    /// <summary>Migrates the database, and in demo mode loads the demo city on first start.</summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app)
    {
        await DatabaseInitializer.InitializeAsync(app.Services);
        if (app.Configuration.GetValue<bool>("Zongliang:Demo") && await DemoCity.SeedAsync(app.Services))
            app.Logger.LogInformation("Demo city loaded; demo accounts use the password given in the README");
    }

    private static Task ApiOr(HttpContext ctx, int status, Action redirect)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
            ctx.Response.StatusCode = status;
        else
            redirect();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Security headers on every response, set as it starts (so error pages have them too), and
    /// <c>Cache-Control: no-store</c> on everything but the static files: pages, exports and API answers
    /// carry a user's scoped data, which a shared browser or a proxy must not keep.
    /// </summary>
    private static Task SecurityHeaders(HttpContext ctx, RequestDelegate next)
    {
        ctx.Response.OnStarting(() =>
        {
            var h = ctx.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            // Everything comes from the platform itself: the networks it runs on have no internet.
            h.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";
            h["Referrer-Policy"] = "same-origin";
            if (!IsStaticFile(ctx.Request.Path)) h.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        return next(ctx);
    }

    private static bool IsStaticFile(PathString path) =>
        path.StartsWithSegments("/lib") || path.StartsWithSegments("/css") || path.StartsWithSegments("/js") || path.StartsWithSegments("/fonts")
        || path.StartsWithSegments("/favicon.ico");
}

/// <summary>A write outside the user's scope is a 403, whichever page or endpoint tried it.</summary>
internal sealed class ScopeViolationHandler(IProblemDetailsService problems, ILogger<ScopeViolationHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext ctx, Exception exception, CancellationToken ct)
    {
        if (exception is not ScopeViolationException) return false;
        log.LogWarning("Refused write outside scope: {Message}", exception.Message);
        ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = ctx,
            ProblemDetails = { Status = 403, Title = "无权修改本辖区以外的记录" },
        });
    }
}

internal sealed class DatabaseHealthCheck(ZongliangDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        await db.Database.CanConnectAsync(ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("database unreachable");
}
