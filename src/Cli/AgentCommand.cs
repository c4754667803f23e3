using System.CommandLine;
using FleetL4.Agent;
using FleetL4.Client;
using k8s;
using Microsoft.Extensions.Logging;

namespace FleetL4.Cli;

/// <summary>`fleetl4 agent`: runs the member agent for one cluster until stopped.</summary>
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
        var command = new Command("agent", "run the member agent: watch this cluster's exports and multi-cluster services and sync them with the hub")
        {
            kubeconfig, context, cluster, labels, namespaces, outage,
        };
        command.SetAction(async (result, ct) =>
        {
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }));
            var logger = loggers.CreateLogger("fleetl4.agent");
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
            };
            // The agent reconnects by itself (to the next hub of --hub when one goes); it runs until stopped.
            using var fleet = new FleetClient(hub.Resolve(result));
            logger.LogInformation("Agent of cluster {Cluster} for the hub at {Hub}", options.Cluster, string.Join(", ", fleet.Options.Hubs));
            await using var agent = new MemberAgent(k8s, fleet, options, logger);
            agent.Start();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
            }
            return 0;
        });
        return command;
    }
}
