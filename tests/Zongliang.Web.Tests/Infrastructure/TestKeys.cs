using System.Runtime.CompilerServices;

namespace Zongliang.Web.Tests.Infrastructure;

/// <summary>
/// One device-password key for this test process and the hosts it starts (the kill test's server, which
/// inherits the environment): the key is one per process, and the tests read passwords that other hosts
/// wrote. Without it each host would take the key file of its own data folder.
/// </summary>
internal static class TestKeys
{
    [ModuleInitializer]
    internal static void UseOneDevicePasswordKey() =>
        Environment.SetEnvironmentVariable("Security__DevicePasswordKey", Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray()));
}
