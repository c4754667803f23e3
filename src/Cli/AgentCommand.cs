using System.CommandLine;
using System.Runtime.InteropServices;
using FleetL4.Agent;
using FleetL4.Client;
using k8s;
using Microsoft.Extensions.Logging;

namespace FleetL4.Cli;

/// <summary>`fleetl4 agent`: runs the member agent for one cluster until SIGTERM or SIGINT (then stops within seconds).</summary>
public static class AgentCommand
{
    public static Command Build(HubFlags hub, TextWriter errors)
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "kubeconfig of the member cluster (default: in-cluster config)" };
        var context = new Option<string?>("--context") { Description = "kubeconfig context (default: current)" };
        var cluster = new Option<string>("--cluster") { Description = "this member's name in the fleet", Required = true };
        var labels = new Option<string[]>("--label", "-l") { Description = "label k=v (repeatable)", Arity = ArgumentArity.ZeroOrMore };
        var namespaces = new Option<string[]>("--namespace", "-n") { Description = "watch only this namespace (repeatable; default: all)", Arity = ArgumentArity.ZeroOrMore };
        var outage = new Option<TimeSpan>("--api-outage-bound") { DefaultValueFactory = _ => AgentOptions.DefaultApiOutageBound, Description = "keep heartbeating this long while the member API server is unreachable" };
        var qps = new Option<double>("--qps") { DefaultValueFactory = _ => AgentOptions.DefaultQps, Description = "writes per second to the member API server (client-go's QPS)" };
        var burst = new Option<int>("--burst") { DefaultValueFactory = _ => AgentOptions.DefaultBurst, Description = "writes allowed at once above --qps" };
        var leaderElect = new Option<bool>("--leader-elect") { Description = "run as one of several replicas: only the holder of a Lease works" };
        var leaseNamespace = new Option<string?>("--lease-namespace") { Description = "namespace of the Lease (default: $POD_NAMESPACE, else fleetl4-system)" };
        var leaseName = new Option<string>("--lease-name") { DefaultValueFactory = _ => "fleetl4-agent", Description = "name of the Lease" };
        var leaseDuration = new Option<TimeSpan>("--lease-duration") { DefaultValueFactory = _ => LeaderElectionOptions.DefaultLeaseDuration, Description = "a standby takes over this long after the leader's last renewal" };
        var renewDeadline = new Option<TimeSpan>("--renew-deadline") { DefaultValueFactory = _ => LeaderElectionOptions.DefaultRenewDeadline, Description = "a leader that cannot renew for this long steps down" };
        var retryPeriod = new Option<TimeSpan>("--retry-period") { DefaultValueFactory = _ => LeaderElectionOptions.DefaultRetryPeriod, Description = "how often the Lease is renewed or tried" };
        var command = new Command("agent", "run the member agent: watch this cluster's exports and multi-cluster services and sync them with the hub")
        {
            kubeconfig, context, cluster, labels, namespaces, outage, qps, burst, leaderElect, leaseNamespace, leaseName, leaseDuration, renewDeadline, retryPeriod,
        };
        command.SetAction(async (result, ct) =>
        {
            // Refused before anything starts: a lease that cannot be renewed in time would flap between replicas.
            if (FlagError(result.GetValue(leaseDuration), result.GetValue(renewDeadline), result.GetValue(retryPeriod),
                    result.GetValue(outage), result.GetValue(qps), result.GetValue(burst)) is { } error)
            {
                await errors.WriteLineAsync($"error: {error}");
                return 1;
            }
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }));
            var logger = loggers.CreateLogger("fleetl4.agent");
            // SIGTERM (a rollout, a container stop) and SIGINT stop the agent: streams close, writes in flight end.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            void Stop(PosixSignalContext signal)
            {
                signal.Cancel = true; // exit through the code below, with exit code 0, not the runtime's default
                logger.LogInformation("{Signal}: stopping", signal.Signal);
                stop.Cancel();
            }
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

            var config = result.GetValue(kubeconfig) is { } path
                ? KubernetesClientConfiguration.BuildConfigFromConfigFile(path, result.GetValue(context))
                : KubernetesClientConfiguration.InClusterConfig();
            using var k8s = new Kubernetes(config);
            var options = new AgentOptions
            {
                Cluster = result.GetValue(cluster)!,
                Labels = FleetCli.ParseLabels(result.GetValue(labels) ?? []),
                Namespaces = result.GetValue(namespaces) ?? [],
                ApiOutageBound = result.GetValue(outage),
                Qps = result.GetValue(qps),
                Burst = result.GetValue(burst),
            };
            // The agent reconnects by itself (to the next hub of --hub when one goes); it runs until stopped.
            using var fleet = new FleetClient(hub.Resolve(result));
            logger.LogInformation("Agent of cluster {Cluster} for the hub at {Hub}", options.Cluster, string.Join(", ", fleet.Options.Hubs));
            MemberAgent Agent() => new(k8s, fleet, options, logger);
            var run = result.GetValue(leaderElect)
                ? new LeaderElection(k8s, new LeaderElectionOptions(
                    result.GetValue(leaseNamespace) ?? Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? "fleetl4-system",
                    result.GetValue(leaseName)!,
                    Environment.GetEnvironmentVariable("POD_NAME") ?? $"{Environment.MachineName}-{Environment.ProcessId}")
                {
                    LeaseDuration = result.GetValue(leaseDuration),
                    RenewDeadline = result.GetValue(renewDeadline),
                    RetryPeriod = result.GetValue(retryPeriod),
                }, Agent, logger).RunAsync(stop.Token)
                : RunAlone(Agent(), stop.Token);
            try
            {
                await run;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            return 0;
        });
        return command;
    }

    /// <summary>The first flag whose value cannot work, as "--flag ...: why", or null. Leader election needs
    /// retry-period &lt; renew-deadline &lt; lease-duration: a leader retries before it steps down, and steps down before
    /// a standby may take over.</summary>
    internal static string? FlagError(TimeSpan leaseDuration, TimeSpan renewDeadline, TimeSpan retryPeriod, TimeSpan outageBound, double qps, int burst) =>
        leaseDuration <= TimeSpan.Zero ? $"--lease-duration {leaseDuration}: must be above 0"
        : renewDeadline <= TimeSpan.Zero ? $"--renew-deadline {renewDeadline}: must be above 0"
        : retryPeriod <= TimeSpan.Zero ? $"--retry-period {retryPeriod}: must be above 0"
        : outageBound <= TimeSpan.Zero ? $"--api-outage-bound {outageBound}: must be above 0"
        : renewDeadline >= leaseDuration ? $"--renew-deadline {renewDeadline}: must be less than --lease-duration ({leaseDuration})"
        : retryPeriod >= renewDeadline ? $"--retry-period {retryPeriod}: must be less than --renew-deadline ({renewDeadline})"
        : !(qps > 0) ? $"--qps {qps}: must be above 0"
        : burst <= 0 ? $"--burst {burst}: must be above 0"
        : null;

    private static async Task RunAlone(MemberAgent agent, CancellationToken ct)
    {
        await using (agent)
        {
            agent.Start();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
