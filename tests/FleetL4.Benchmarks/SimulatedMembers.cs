using FleetL4.Client;
using FleetL4.Members;
using FleetL4.Models;

namespace FleetL4.Benchmarks;

/// <summary>
/// One simulated agent per member cluster, as the agent talks to the hub: its own <see cref="FleetClient"/> (its own
/// HTTP/2 connection to the hub API), changes sent through <see cref="FleetClient.MemberHub"/> (batches of at most
/// 250 objects), and a heartbeat every <see cref="HeartbeatInterval"/> (the shipped 10 s) so that the leases, three
/// missed heartbeats long, hold without a status stream.
/// </summary>
public sealed class SimulatedMembers : IAsyncDisposable
{
    public static readonly TimeSpan HeartbeatInterval = new FleetOptions().HeartbeatInterval;

    private readonly FleetClient[] _clients;
    private readonly IMemberHub[] _hubs;
    private readonly string[] _names;
    private readonly CancellationTokenSource _stop = new();
    private Task _heartbeats = Task.CompletedTask;
    private long _heartbeatFailures;
    private string? _firstHeartbeatFailure;

    public SimulatedMembers(Uri hub, Workload workload)
    {
        _names = [.. Enumerable.Range(0, workload.Clusters).Select(workload.Cluster)];
        _clients = [.. _names.Select(_ => new FleetClient(new HubConnectionOptions { Hubs = [hub] }))];
        _hubs = [.. _names.Select((name, c) => _clients[c].MemberHub(name))];
    }

    public long HeartbeatFailures => Interlocked.Read(ref _heartbeatFailures);

    public string? FirstHeartbeatFailure => Volatile.Read(ref _firstHeartbeatFailure);

    public FleetClient Client(int c) => _clients[c];

    public IMemberHub Hub(int c) => _hubs[c];

    /// <summary>Joins every cluster (at most <paramref name="parallel"/> at once), then starts the heartbeats.</summary>
    public async Task JoinAsync(int parallel, CancellationToken ct)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, _names.Length), new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct }, async (c, token) =>
        {
            var view = await _clients[c].JoinClusterAsync(_names[c], new Dictionary<string, string> { ["bench"] = "true" }, ct: token);
            if (!view.Joined || !view.LeaseLive) throw new InvalidOperationException($"cluster {view.Name} did not join with a live lease");
        });
        _heartbeats = HeartbeatLoops(_stop.Token);
    }

    /// <summary>
    /// Each cluster heartbeats on its own once per interval (starts spread over it), as each agent does: a heartbeat
    /// that waits behind that cluster's sync in its member grain holds up no other cluster's.
    /// </summary>
    private Task HeartbeatLoops(CancellationToken ct) =>
        Task.WhenAll(Enumerable.Range(0, _names.Length).Select(c => Task.Run(async () =>
        {
            try
            {
                await Task.Delay(HeartbeatInterval * c / _names.Length, ct);
                using var timer = new PeriodicTimer(HeartbeatInterval);
                do
                {
                    try
                    {
                        await _clients[c].HeartbeatAsync(_names[c], ct);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        if (ct.IsCancellationRequested) break; // our own stop cancelled the call in flight
                        Interlocked.Increment(ref _heartbeatFailures);
                        Interlocked.CompareExchange(ref _firstHeartbeatFailure, $"{_names[c]}: {ex.GetType().Name}: {ex.Message}", null);
                    }
                }
                while (await timer.WaitForNextTickAsync(ct));
            }
            catch (OperationCanceledException)
            {
                // stopping
            }
        }, CancellationToken.None)));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _heartbeats;
        foreach (var client in _clients) client.Dispose();
        _stop.Dispose();
    }
}
