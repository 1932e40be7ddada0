using System.Diagnostics;

namespace Zongliang.Cli.Tests;

/// <summary>Runs the real `zl` program in a folder of its own, with stdin given and stdout/stderr captured.</summary>
internal static class ZlProcess
{
    public static Task<(int Code, string Out, string Err)> RunAsync(string directory, string stdin, params string[] args) =>
        RunAsync(directory, stdin, new Dictionary<string, string>(), args);

    public static async Task<(int Code, string Out, string Err)> RunAsync(string directory, string stdin, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "zl.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["Database__DataDirectory"] = Path.Combine(directory, "data");
        foreach (var (key, value) in environment) psi.Environment[key] = value;
        using var p = Process.Start(psi)!;
        await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }
}
