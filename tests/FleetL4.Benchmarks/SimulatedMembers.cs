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
        _heartbeats = Task.Run(() => HeartbeatLoop(_stop.Token), CancellationToken.None);
    }

    /// <summary>Each cluster heartbeats once per interval, spread over it.</summary>
    private async Task HeartbeatLoop(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval / _names.Length);
        try
        {
            for (var i = 0; await timer.WaitForNextTickAsync(ct); i = (i + 1) % _names.Length)
            {
                try
                {
                    await _clients[i].HeartbeatAsync(_names[i], ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Interlocked.Increment(ref _heartbeatFailures);
                    Interlocked.CompareExchange(ref _firstHeartbeatFailure, $"{_names[i]}: {ex.GetType().Name}: {ex.Message}", null);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _heartbeats;
        foreach (var client in _clients) client.Dispose();
        _stop.Dispose();
    }
}
