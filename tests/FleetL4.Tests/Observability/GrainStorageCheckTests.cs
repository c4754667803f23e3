using System.Diagnostics;
using System.Net;
using Azure.Storage.Blobs;
using FleetL4.Hosting.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;

namespace FleetL4.Tests.Observability;

/// <summary>/readyz's grain storage check against a blob endpoint on loopback that answers as the test says: one request
/// per <see cref="GrainStorageCheck.CacheFor"/>, whatever the number of probes, and a reason when storage fails.</summary>
public sealed class GrainStorageCheckTests : IAsyncLifetime
{
    private WebApplication _blob = null!;
    private Uri _url = null!;
    private int _requests;
    private HttpStatusCode _answer = HttpStatusCode.OK;
    private string? _errorCode;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _blob = builder.Build();
        // Every request is a "get container properties": count it and answer as told.
        _blob.Run(http =>
        {
            Interlocked.Increment(ref _requests);
            http.Response.StatusCode = (int)_answer;
            if (_errorCode is not null) http.Response.Headers["x-ms-error-code"] = _errorCode;
            return Task.CompletedTask;
        });
        await _blob.StartAsync();
        _url = new Uri(_blob.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync() => await _blob.DisposeAsync();

    [Fact]
    public async Task Probes_within_the_cache_time_share_one_request_and_a_failure_says_why()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (check, container) = Check(clock);

        Assert.Equal(HealthStatus.Healthy, (await Probe(check)).Status);
        Assert.Equal(HealthStatus.Healthy, (await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Probe(check)))).Select(r => r.Status).Distinct().Single());
        Assert.Equal(1, _requests);

        (_answer, _errorCode) = (HttpStatusCode.NotFound, "ContainerNotFound");
        clock.Advance(GrainStorageCheck.CacheFor - TimeSpan.FromMilliseconds(1));
        Assert.Equal(HealthStatus.Healthy, (await Probe(check)).Status); // still the cached answer
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var missing = await Probe(check);
        Assert.Equal(HealthStatus.Unhealthy, missing.Status);
        Assert.Equal($"grain storage: blob container \"{container}\" does not exist", missing.Description);
        Assert.Equal(2, _requests);

        (_answer, _errorCode) = (HttpStatusCode.Forbidden, "AuthorizationFailure");
        clock.Advance(GrainStorageCheck.CacheFor);
        Assert.Equal("grain storage: the blob service answered 403 AuthorizationFailure", (await Probe(check)).Description);
        Assert.Equal(3, _requests);
    }

    [Fact]
    public async Task A_blob_service_that_is_not_there_fails_the_check_within_its_deadline()
    {
        await _blob.StopAsync(); // the port refuses connections now
        var (check, _) = Check(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var started = Stopwatch.GetTimestamp();
        var result = await Probe(check);
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.StartsWith("grain storage: ", result.Description, StringComparison.Ordinal);
        // The storage client retries with backoff; the deadline cuts that short (slack for a busy machine).
        Assert.True(Stopwatch.GetElapsedTime(started) < GrainStorageCheck.Timeout + TimeSpan.FromSeconds(3), $"took {Stopwatch.GetElapsedTime(started)}");
    }

    private (GrainStorageCheck Check, string Container) Check(TimeProvider clock)
    {
        // Azurite's well-known development account: the key only signs requests to the fake.
        var connection = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
                         "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
                         $"BlobEndpoint={_url}devstoreaccount1;";
        var services = new ServiceCollection();
        services.AddOptions<AzureBlobStorageOptions>(StorageNames.Fleet).Configure(o => o.BlobServiceClient = new BlobServiceClient(connection));
        var options = services.BuildServiceProvider().GetRequiredService<IOptionsMonitor<AzureBlobStorageOptions>>();
        return (new GrainStorageCheck(options, clock), options.Get(StorageNames.Fleet).ContainerName);
    }

    private static Task<HealthCheckResult> Probe(GrainStorageCheck check) => check.CheckHealthAsync(new HealthCheckContext());
}
