using System.Collections.Concurrent;
using System.Diagnostics;
using FleetL4.LoadBalancing;

namespace FleetL4.Tests.Infrastructure;

/// <summary>
/// The in-memory provider with a switch to make it fail or be slow, and a record of concurrent calls per load
/// balancer, so tests can check retries and the one-call-in-flight rule.
/// </summary>
public sealed class ControllableProvider(InMemoryLoadBalancerProvider inner) : ILoadBalancerProvider
{
    private readonly ConcurrentDictionary<string, int> _inFlight = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<long>> _failures = new();

    public InMemoryLoadBalancerProvider Inner { get; } = inner;

    public volatile bool Failing;
    public TimeSpan Delay = TimeSpan.Zero;
    public int FailedCalls;
    public int MaxConcurrentCallsForOneBalancer;

    public bool UsesHubFrontendPool => Inner.UsesHubFrontendPool;

    public async Task<string> EnsureAsync(LoadBalancerSpec spec, CancellationToken cancellationToken)
    {
        var concurrent = _inFlight.AddOrUpdate(spec.Id, 1, (_, n) => n + 1);
        InterlockedMax(ref MaxConcurrentCallsForOneBalancer, concurrent);
        try
        {
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay, cancellationToken);
            if (Failing)
            {
                Interlocked.Increment(ref FailedCalls);
                _failures.GetOrAdd(spec.Id, _ => new()).Enqueue(Stopwatch.GetTimestamp());
                throw new InvalidOperationException("simulated provider outage");
            }
            return await Inner.EnsureAsync(spec, cancellationToken);
        }
        finally
        {
            _inFlight.AddOrUpdate(spec.Id, 0, (_, n) => n - 1);
        }
    }

    /// <summary>When each failed EnsureAsync for the load balancer <paramref name="id"/> failed, from the first failure on.</summary>
    public IReadOnlyList<TimeSpan> FailureTimes(string id)
    {
        var failures = _failures.TryGetValue(id, out var queue) ? queue.ToArray() : [];
        return failures.Select(t => Stopwatch.GetElapsedTime(failures[0], t)).ToArray();
    }

    public Task DeleteAsync(string id, CancellationToken cancellationToken) =>
        Failing ? throw new InvalidOperationException("simulated provider outage") : Inner.DeleteAsync(id, cancellationToken);

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
