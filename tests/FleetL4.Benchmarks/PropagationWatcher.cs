using System.Diagnostics;
using FleetL4.LoadBalancing;

namespace FleetL4.Benchmarks;

/// <summary>
/// Subscribed to <see cref="InMemoryLoadBalancerProvider.Ensured"/>: completes the one expected sample when the
/// provider is handed a backend set for that load balancer that holds the new address. The handler runs inside
/// the MCS grain's turn, so it only compares an id and, on a match, scans that one spec's backends.
/// </summary>
public sealed class PropagationWatcher
{
    private Expectation? _pending;

    /// <summary>Arms the watcher (before the update is sent); the task yields the Stopwatch timestamp of the ensure.</summary>
    public Task<long> Expect(string loadBalancerId, string cluster, string address)
    {
        var expectation = new Expectation(loadBalancerId, cluster, address);
        Volatile.Write(ref _pending, expectation);
        return expectation.Seen.Task;
    }

    public void Disarm() => Volatile.Write(ref _pending, null);

    public void OnEnsured(LoadBalancerSpec spec)
    {
        var e = Volatile.Read(ref _pending);
        if (e is null || !string.Equals(spec.Id, e.Id, StringComparison.Ordinal)) return;
        foreach (var backend in spec.Backends)
        {
            if (string.Equals(backend.Address, e.Address, StringComparison.Ordinal) &&
                string.Equals(backend.Cluster, e.Cluster, StringComparison.Ordinal))
            {
                e.Seen.TrySetResult(Stopwatch.GetTimestamp());
                return;
            }
        }
    }

    private sealed class Expectation(string id, string cluster, string address)
    {
        public string Id { get; } = id;
        public string Cluster { get; } = cluster;
        public string Address { get; } = address;

        // Continuations must not run inside the grain turn that raised the event.
        public TaskCompletionSource<long> Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
