using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FleetL4.LoadBalancerBench;

/// <summary>
/// A kuard-like HTTP backend that names itself in every body and counts what it served, so run.sh can check after
/// each run that both backends took a share (GET /count, asked directly, is not counted).
/// </summary>
public static class BenchBackend
{
    public static async Task<int> RunAsync(string address, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Parse(address), port));
        var app = builder.Build();
        long served = 0;
        var body = $"kuard-like backend\naddrs: [{address}]\n";
        app.MapGet("/", () =>
        {
            Interlocked.Increment(ref served);
            return Results.Text(body);
        });
        app.MapGet("/count", () => Results.Text(Interlocked.Read(ref served).ToString()));
        await app.StartAsync(); // the host stops on SIGTERM/SIGINT
        var url = new Uri(app.Urls.First()); // the bound address: the real port when PORT was 0
        Console.WriteLine($"READY address={address} port={url.Port}");
        await app.WaitForShutdownAsync();
        return 0;
    }
}
