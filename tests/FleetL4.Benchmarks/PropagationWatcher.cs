using System.Collections.Concurrent;
using System.Diagnostics;
using FleetL4.LoadBalancing;

namespace FleetL4.Benchmarks;

/// <summary>
/// Subscribed to <see cref="InMemoryLoadBalancerProvider.Ensured"/>: completes a sample when the provider is handed
/// a backend set for its load balancer that holds the sample's new address. At most one sample per load balancer is
/// pending (samples on different MCSes may overlap). The handler runs inside the MCS grain's turn, so it only looks
/// an id up and, on a match, scans that one spec's backends.
/// </summary>
public sealed class PropagationWatcher
{
    private readonly ConcurrentDictionary<string, Expectation> _pending = new(StringComparer.Ordinal);

    /// <summary>Arms the watcher (before the update is sent); the task yields the Stopwatch timestamp of the ensure.</summary>
    public Task<long> Expect(string loadBalancerId, string cluster, string address)
    {
        var expectation = new Expectation(cluster, address);
        if (!_pending.TryAdd(loadBalancerId, expectation))
            throw new InvalidOperationException($"a sample on {loadBalancerId} is still pending");
        return expectation.Seen.Task;
    }

    public void Disarm(string loadBalancerId) => _pending.TryRemove(loadBalancerId, out _);

    public void OnEnsured(LoadBalancerSpec spec)
    {
        if (!_pending.TryGetValue(spec.Id, out var e)) return;
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

    private sealed class Expectation(string cluster, string address)
    {
        public string Cluster { get; } = cluster;
        public string Address { get; } = address;

        // Continuations must not run inside the grain turn that raised the event.
        public TaskCompletionSource<long> Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
