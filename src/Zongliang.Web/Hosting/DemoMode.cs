namespace Zongliang.Web.Hosting;

/// <summary>`--demo` on the command line: load the demo city and its accounts on first start.</summary>
public static class DemoMode
{
    public static string[] Apply(string[] args) =>
        args.Select(a => a == "--demo" ? "--Zongliang:Demo=true" : a).ToArray();
}
