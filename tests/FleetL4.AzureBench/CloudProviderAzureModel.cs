using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FleetL4.LoadBalancing.Azure;
using FleetL4.LoadBalancing.Azure.Model;

namespace FleetL4.AzureBench;

/// <summary>
/// The peer, modelled from cloud-provider-azure's documented behaviour (not its code): backend-pool changes are
/// merged per pool and flushed every <c>batch</c> (its loadBalancerBackendPoolUpdateIntervalInSeconds, 30 s); a flush
/// writes each changed pool on its own (a pool PUT, waiting for its operation, since a second write on the LB would
/// cancel it); after a 429 it makes no call until Retry-After. It writes the same fake ARM the same way FleetL4 does,
/// so both are measured by one observer under one churn.
/// </summary>
public sealed class CloudProviderAzureModel(HttpClient arm, AzureOptions options, string loadBalancerId, TimeSpan batch) : IAsyncDisposable
{
    private const string ApiVersion = "2024-05-01";
    private readonly Dictionary<string, string[]> _dirty = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public int Throttled { get; private set; }

    public void Start() => _loop = Task.Run(FlushLoop);

    /// <summary>The pool's whole desired address set (the informer's view); the next flush writes it.</summary>
    public void Set(string pool, IEnumerable<string> addresses)
    {
        lock (_lock) _dirty[pool] = [.. addresses];
    }

    private async Task FlushLoop()
    {
        using var timer = new PeriodicTimer(batch);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                KeyValuePair<string, string[]>[] flush;
                lock (_lock)
                {
                    flush = [.. _dirty];
                    _dirty.Clear();
                }
                foreach (var (pool, addresses) in flush) await WritePool(pool, addresses);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task WritePool(string pool, string[] addresses)
    {
        var uri = $"{loadBalancerId}/backendAddressPools/{pool}?api-version={ApiVersion}";
        while (!_stop.IsCancellationRequested)
        {
            using var response = await arm.PutAsJsonAsync(uri, ArmLoadBalancerJson.RenderPool(pool, addresses, options), _stop.Token);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Throttled++;
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(10), _stop.Token);
                continue;
            }
            response.EnsureSuccessStatusCode();
            if (response.Headers.TryGetValues("Azure-AsyncOperation", out var operation)) await WaitFor(operation.First());
            return;
        }
    }

    private async Task WaitFor(string operation)
    {
        while (true)
        {
            await Task.Delay(100, _stop.Token);
            var status = (await arm.GetFromJsonAsync<JsonObject>(operation, _stop.Token))?["status"]?.GetValue<string>();
            if (status is not "InProgress") return;
        }
    }

    /// <summary>Stops flushing; may be called twice (the run stops it before reading the fake's record).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
    }
}
