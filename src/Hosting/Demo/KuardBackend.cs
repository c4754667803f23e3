using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FleetL4.Hosting.Demo;

/// <summary>
/// A stand-in for a kuard pod: an HTTP server on its own loopback address whose page names the pod, its
/// cluster and its addresses (kuard's "addrs"), so a client can see which backend answered.
/// </summary>
public sealed class KuardBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KuardBackend(WebApplication app, string cluster, string pod, string address, int port)
    {
        _app = app;
        Cluster = cluster;
        Pod = pod;
        Address = address;
        Port = port;
    }

    public string Cluster { get; }
    public string Pod { get; }
    public string Address { get; }
    public int Port { get; }

    public static async Task<KuardBackend> StartAsync(string cluster, string pod, string address, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Parse(address), port));
        var app = builder.Build();
        var page = $"kuard-like backend\npod: {pod}\ncluster: {cluster}\naddrs: [{address}]\n";
        app.MapGet("/", () => Results.Text(page));
        app.MapGet("/healthy", () => Results.Text("ok"));
        await app.StartAsync();
        return new KuardBackend(app, cluster, pod, address, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
