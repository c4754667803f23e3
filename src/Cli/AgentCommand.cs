using System.CommandLine;
using FleetL4.Agent;
using FleetL4.Client;
using k8s;
using Microsoft.Extensions.Logging;

namespace FleetL4.Cli;

/// <summary>`fleetl4 agent`: runs the member agent for one cluster until stopped.</summary>
public static class AgentCommand
{
    public static Command Build(Option<string?> hub, TextWriter errors)
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "kubeconfig of the member cluster (default: in-cluster config)" };
        var context = new Option<string?>("--context") { Description = "kubeconfig context (default: current)" };
        var cluster = new Option<string>("--cluster") { Description = "this member's name in the fleet", Required = true };
        var labels = new Option<string[]>("--label", "-l") { Description = "label k=v (repeatable)", Arity = ArgumentArity.ZeroOrMore };
        var namespaces = new Option<string[]>("--namespace", "-n") { Description = "watch only this namespace (repeatable; default: all)", Arity = ArgumentArity.ZeroOrMore };
        var heartbeat = new Option<TimeSpan>("--heartbeat-interval") { DefaultValueFactory = _ => AgentOptions.DefaultHeartbeatInterval, Description = "heartbeat period (below the hub's lease)" };
        var outage = new Option<TimeSpan>("--api-outage-bound") { DefaultValueFactory = _ => AgentOptions.DefaultApiOutageBound, Description = "keep heartbeating this long while the member API server is unreachable" };
        var command = new Command("agent", "run the member agent: watch this cluster's exports and multi-cluster services and sync them with the hub")
        {
            kubeconfig, context, cluster, labels, namespaces, heartbeat, outage,
        };
        command.SetAction(async (result, ct) =>
        {
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }));
            var logger = loggers.CreateLogger("fleetl4.agent");
            var config = result.GetValue(kubeconfig) is { } path
                ? KubernetesClientConfiguration.BuildConfigFromConfigFile(path, result.GetValue(context))
                : KubernetesClientConfiguration.InClusterConfig();
            using var k8s = new Kubernetes(config);
            var address = FleetHubConnection.Resolve(result.GetValue(hub));
            var options = new AgentOptions
            {
                Cluster = result.GetValue(cluster)!,
                Labels = FleetCli.ParseLabels(result.GetValue(labels) ?? []),
                Namespaces = result.GetValue(namespaces) ?? [],
                HeartbeatInterval = result.GetValue(heartbeat),
                ApiOutageBound = result.GetValue(outage),
            };
            var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await using var connection = await FleetHubConnection.ConnectAsync(address, FleetCli.ConnectTimeout, ct);
                    logger.LogInformation("Connected to the hub at {Hub} as cluster {Cluster}", address, options.Cluster);
                    await using var agent = new MemberAgent(k8s, connection.Fleet, options, logger);
                    agent.Start();
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    break;
                }
                catch (HubUnreachableException ex)
                {
                    var delay = backoff.Next();
                    logger.LogWarning("{Error}; retrying in {Delay:0}s", ex.Message, delay.TotalSeconds);
                    try { await Task.Delay(delay, ct); } catch (OperationCanceledException) { break; }
                }
            }
            return 0;
        });
        return command;
    }
}
