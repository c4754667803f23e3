using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;

namespace FleetL4.Agent;

/// <summary>Where the agent's replicas hold their election: a coordination.k8s.io/v1 Lease, and its timings.</summary>
public sealed record LeaderElectionOptions(string Namespace, string Name, string Identity)
{
    /// <summary>How long a leader's lease lasts unrenewed: a standby takes over at most this plus <see cref="RetryPeriod"/>
    /// after the leader died.</summary>
    public TimeSpan LeaseDuration { get; init; } = DefaultLeaseDuration;

    /// <summary>A leader that could not renew for this long steps down (before its lease runs out elsewhere).</summary>
    public TimeSpan RenewDeadline { get; init; } = DefaultRenewDeadline;

    public TimeSpan RetryPeriod { get; init; } = DefaultRetryPeriod;

    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultRenewDeadline = TimeSpan.FromSeconds(7);
    public static readonly TimeSpan DefaultRetryPeriod = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Runs the member agent only while this replica leads (KubernetesClient's LeaderElector on a Lease): two replicas,
/// one writing at a time. A leader that loses its lease stops its agent and campaigns again.
/// </summary>
public sealed class LeaderElection(IKubernetes k8s, LeaderElectionOptions options, Func<MemberAgent> agent, ILogger logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var config = new LeaderElectionConfig(new LeaseLock(k8s, options.Namespace, options.Name, options.Identity))
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        };
        while (!ct.IsCancellationRequested)
        {
            using var elector = new LeaderElector(config);
            var leading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            elector.OnStartedLeading += () => leading.TrySetResult();
            elector.OnNewLeader += leader => logger.LogInformation("Lease {Namespace}/{Name} is held by {Leader}", options.Namespace, options.Name, leader);
            elector.OnError += ex => logger.LogWarning("Leader election: {Error}", ex.Message);
            var run = elector.RunUntilLeadershipLostAsync(ct);
            try
            {
                if (await Task.WhenAny(run, leading.Task) != leading.Task)
                {
                    await run;
                    continue;
                }
                logger.LogInformation("{Identity} leads: starting the agent", options.Identity);
                await using var member = agent();
                member.Start();
                await run; // until the lease is lost (or the agent is stopped)
                logger.LogWarning("{Identity} lost the lease: stopping the agent", options.Identity);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
