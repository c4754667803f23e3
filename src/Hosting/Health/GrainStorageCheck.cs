using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace FleetL4.Hosting.Health;

/// <summary>
/// With Hub:Storage=AzureStorage: is the blob container of the grain state there and answering? One bounded request
/// (<see cref="Timeout"/>), and its answer is reused for <see cref="CacheFor"/>, so a storm of probes and scrapes
/// costs the storage account at most one request per few seconds per silo.
/// </summary>
public sealed class GrainStorageCheck(IOptionsMonitor<AzureBlobStorageOptions> options, TimeProvider clock) : IHealthCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private (DateTimeOffset At, Task<HealthCheckResult> Result)? _last;

    /// <summary>The caller's token is not used: concurrent checks share one probe, which has its own deadline.</summary>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            if (_last is { } last && now - last.At < CacheFor) return last.Result;
            var probe = ProbeAsync();
            _last = (now, probe);
            return probe;
        }
    }

    private async Task<HealthCheckResult> ProbeAsync()
    {
        var blob = options.Get(StorageNames.Fleet);
        using var deadline = new CancellationTokenSource(Timeout);
        try
        {
            var container = blob.BlobServiceClient!.GetBlobContainerClient(blob.ContainerName);
            return (await container.ExistsAsync(deadline.Token)).Value
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"grain storage: blob container \"{blob.ContainerName}\" does not exist");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"grain storage: the blob service did not answer within {Timeout.TotalSeconds:0} s");
        }
        catch (Azure.RequestFailedException ex) when (ex.Status != 0)
        {
            return HealthCheckResult.Unhealthy($"grain storage: the blob service answered {ex.Status} {ex.ErrorCode}");
        }
        catch (Exception ex)
        {
            // Unreachable, or no credential: the first line says which.
            return HealthCheckResult.Unhealthy($"grain storage: {ex.Message.Split('\n')[0].Trim()}");
        }
    }
}
