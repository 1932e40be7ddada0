using System.Collections.Concurrent;
using System.Net;

namespace Zongliang.Web.Tests.Infrastructure;

/// <summary>An SMS gateway that counts what it is sent (the real one is outside the platform), a little slow, as gateways are.</summary>
public sealed class CountingGateway : HttpMessageHandler, IHttpClientFactory
{
    public ConcurrentBag<string> Bodies { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        Bodies.Add(await request.Content!.ReadAsStringAsync(ct));
        await Task.Delay(20, ct);
        return new HttpResponseMessage(HttpStatusCode.OK);
    }

    public HttpClient CreateClient(string name) => new(this, disposeHandler: false);
}
