using System.Net;
using FleetL4.Client;
using FleetL4.HubApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetL4.Tests.Infrastructure;

/// <summary>
/// The hub API served over a real loopback socket (port 0) in front of a test hub's grains: the same service and
/// authentication the silo hosts, so agents and clients in tests go through gRPC as they do in production.
/// </summary>
public sealed class HubApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LineSink _log;

    private HubApiHost(WebApplication app, Uri url, LineSink log)
    {
        _app = app;
        Url = url;
        _log = log;
    }

    public Uri Url { get; }

    /// <summary>Warnings the API logged (refusals among them).</summary>
    public IReadOnlyList<string> Warnings => _log.Lines;

    /// <param name="leaseClock">The hub grains' clock when a test moves it by hand: status streams renew leases on it.</param>
    public static async Task<HubApiHost> StartAsync(IGrainFactory grains, HubTlsOptions? tls = null, TimeProvider? leaseClock = null)
    {
        tls ??= new HubTlsOptions();
        var builder = WebApplication.CreateSlimBuilder();
        var sink = new LineSink();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(sink);
        builder.Services.AddSingleton(grains);
        if (leaseClock is not null) builder.Services.AddKeyedSingleton(FleetL4.Runtime.GrainClock.Key, leaseClock);
        builder.Services.AddHubApi(tls);
        builder.WebHost.ConfigureKestrel(k => k.ListenHub(new IPEndPoint(IPAddress.Loopback, 0), tls, HttpProtocols.Http2));
        var app = builder.Build();
        app.MapHubApi();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HubApiHost(app, new Uri(address), sink);
    }

    /// <summary>A client of this API (plain text, the loopback admin), or with these connection settings.</summary>
    public FleetClient Client(HubConnectionOptions? options = null) =>
        new(options ?? new HubConnectionOptions { Hubs = [Url] });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Keeps the warnings the API logs, one line each.</summary>
    private sealed class LineSink : ILoggerProvider, ILogger
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get { lock (_lines) return [.. _lines]; }
        }

        public ILogger CreateLogger(string categoryName) => this;
        public void Dispose() { }
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) lock (_lines) _lines.Add(formatter(state, exception));
        }
    }
}
