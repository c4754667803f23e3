using System.Net;
using FleetL4.HubApi;
using FleetL4.LoadBalancing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace FleetL4.Benchmarks;

/// <summary>
/// The hub as src/Silo hosts it (localhost clustering, memory grain storage and reminders or, with an Azure Storage
/// connection string, Hub:Storage=AzureStorage's blobs and reminder table; the hub API on its own Kestrel endpoint,
/// plain-text HTTP/2 on 127.0.0.1), in this process so that the in-memory provider's calls can be timed. Grain
/// storage is wrapped to count its calls (<see cref="Storage"/>). Every FleetL4 option keeps its shipped default except the provider (InMemory: 100 MCSes must not open
/// sockets) and, when asked, the coalescing window. No Orleans dashboard (src/Silo runs one by default).
/// </summary>
public sealed class InProcessHub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _stopping;
    private long _suppressed;

    private InProcessHub(WebApplication app, StorageCounter storage, Uri url, int siloPort, int gatewayPort)
    {
        _app = app;
        Storage = storage;
        Url = url;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
    }

    public Uri Url { get; }
    public int SiloPort { get; }
    public int GatewayPort { get; }
    public StorageCounter Storage { get; }

    /// <summary>
    /// Signalled when the host is asked to stop: its console lifetime takes SIGINT and SIGTERM (and cancels their
    /// default), so the benchmark stops on this rather than on its own cancellation token.
    /// </summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;
    public InMemoryLoadBalancerProvider Provider => _app.Services.GetRequiredService<InMemoryLoadBalancerProvider>();

    /// <summary>The window the hub runs with (its options, as bound from configuration).</summary>
    public TimeSpan CoalescingWindow => _app.Services.GetRequiredService<IOptions<FleetOptions>>().Value.CoalescingWindow;

    /// <summary>Warning/error log calls dropped while stopping (see <see cref="StartAsync"/>).</summary>
    public long Suppressed => Interlocked.Read(ref _suppressed);

    /// <summary>The FleetL4 settings this hub runs with that differ from the shipped defaults.</summary>
    public static IReadOnlyDictionary<string, string?> Settings(TimeSpan? coalescingWindow)
    {
        var settings = new Dictionary<string, string?> { ["FleetL4:Provider"] = "InMemory" };
        if (coalescingWindow is { } window) settings["FleetL4:CoalescingWindow"] = window.ToString("c");
        return settings;
    }

    /// <param name="azureStorage">Azure Storage connection string for grain state and reminders; null = memory.</param>
    public static async Task<InProcessHub> StartAsync(TimeSpan? coalescingWindow, string? azureStorage, CancellationToken ct)
    {
        var (siloPort, gatewayPort, apiPort) = (LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free());
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(Settings(coalescingWindow));
        InProcessHub? hub = null;
        // Warnings and errors only. During silo stop, Orleans deactivates the memory storage grains while export
        // grains still flush their write-behind state, which logs an error per export: noise once the numbers are
        // taken, so only Critical passes then. (This filter rule replaces the minimum level, so it applies both.)
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter((_, level) =>
        {
            if (level < LogLevel.Warning) return false;
            if (hub is null || Volatile.Read(ref hub._stopping) == 0 || level >= LogLevel.Critical) return true;
            Interlocked.Increment(ref hub._suppressed);
            return false;
        });
        builder.Logging.AddProvider(new KestrelAbortLog());
        builder.Logging.AddFilter<KestrelAbortLog>(KestrelAbortLog.Category, LogLevel.Debug);
        var tls = new HubTlsOptions();
        builder.WebHost.ConfigureKestrel(k => k.ListenHub(new IPEndPoint(IPAddress.Loopback, apiPort), tls, HttpProtocols.Http2));
        builder.Services.AddHubApi(tls);
        var storage = new StorageCounter();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort);
            if (azureStorage is null)
            {
                silo.AddMemoryGrainStorage(StorageNames.Fleet);
                silo.UseInMemoryReminderService();
            }
            else
            {
                // The two calls of HubSiloHosting.ConfigureHub (src/Hosting) for Hub:Storage=AzureStorage; the rest of
                // this silo is the benchmark's own. Blobs with Orleans' serializer; reminders in a table.
                silo.AddAzureBlobGrainStorage(StorageNames.Fleet, (OptionsBuilder<AzureBlobStorageOptions> blob) => blob.Configure<Serializer>((o, serializer) =>
                {
                    o.BlobServiceClient = new(azureStorage);
                    o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
                }));
                silo.UseAzureTableReminderService(o => o.TableServiceClient = new(azureStorage));
            }
            CountingGrainStorage.Decorate(silo.Services, StorageNames.Fleet, storage);
            silo.Services.AddLoadBalancing(builder.Configuration);
            silo.AddFleetL4(builder.Configuration);
        });
        var app = builder.Build();
        app.MapHubApi(apiPort);
        hub = new InProcessHub(app, storage, new Uri($"http://127.0.0.1:{apiPort}"), siloPort, gatewayPort);
        await app.StartAsync(ct);
        return hub;
    }

    /// <summary>Graceful shutdown deactivates every grain; bounded, the numbers are already taken.</summary>
    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _stopping, 1);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (Exception ex)
        {
            FleetBenchmark.Log($"silo stop: {ex.GetType().Name}: {ex.Message}");
        }
        await _app.DisposeAsync();
    }
}
