using System.CommandLine;
using FleetL4.Client;
using FleetL4.Client.Output;
using FleetL4.Members;
using FleetL4.Models;

namespace FleetL4.Cli;

/// <summary>The `fleetl4` command line: a kubectl-like view of the fleet, talking to the hub through <see cref="FleetClient"/>.</summary>
public static class FleetCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var output = stdout ?? Console.Out;
        var errors = stderr ?? Console.Error;
        var root = Build(output, errors);
        return await root.Parse(args).InvokeAsync();
    }

    private static RootCommand Build(TextWriter output, TextWriter errors)
    {
        var hub = new HubFlags();
        var root = new RootCommand("fleetl4: multi-cluster L4 load balancing on one IP; a kubectl-like client of the FleetL4 hub");
        hub.AddTo(root);

        // cluster join / leave / label
        var clusterCommand = new Command("cluster", "join member clusters to the fleet, label them or remove them");
        var joinName = new Argument<string>("NAME") { Description = "member cluster name (a DNS-1123 label)" };
        var labels = new Option<string[]>("--label", "-l") { Description = "label k=v, e.g. fleet.azure.com/location=eastus (repeatable)", Arity = ArgumentArity.ZeroOrMore };
        var join = new Command("join", "join a member cluster (or update its labels)") { joinName, labels };
        join.SetAction((r, ct) => Run(r, hub, errors, async fleet =>
        {
            // The CLI drives virtual members (objects applied with fleetl4 apply); real members join through their agent.
            var view = await fleet.JoinClusterAsync(r.GetValue(joinName)!, ParseLabels(r.GetValue(labels) ?? []), isVirtual: true);
            await output.WriteLineAsync($"membercluster/{view.Name} joined");
        }, ct));
        var leaveName = new Argument<string>("NAME");
        var leave = new Command("leave", "remove a member cluster with all its exports and multi-cluster services") { leaveName };
        leave.SetAction((r, ct) => Run(r, hub, errors, async fleet =>
        {
            await fleet.LeaveClusterAsync(r.GetValue(leaveName)!);
            await output.WriteLineAsync($"membercluster/{r.GetValue(leaveName)} left");
        }, ct));
        var labelName = new Argument<string>("NAME") { Description = "member cluster name" };
        var labelChanges = new Argument<string[]>(LabelChanges.Argument) { Description = "key=value sets a label, key- removes it (kubectl label syntax)", Arity = ArgumentArity.OneOrMore };
        var label = new Command("label", "set or remove labels of a virtual member cluster (placements schedule again)") { labelName, labelChanges };
        label.SetAction((r, ct) => Run(r, hub, errors, async fleet =>
        {
            var (set, remove) = LabelChanges.Parse(r.GetValue(labelChanges) ?? []);
            var view = await fleet.LabelClusterAsync(r.GetValue(labelName)!, set, remove);
            await output.WriteLineAsync($"membercluster/{view.Name} labeled");
        }, ct));
        clusterCommand.Subcommands.Add(join);
        clusterCommand.Subcommands.Add(leave);
        clusterCommand.Subcommands.Add(label);
        root.Subcommands.Add(clusterCommand);

        // apply / delete
        foreach (var delete in new[] { false, true })
        {
            var file = new Option<string>("--filename", "-f") { Description = "manifest file (multi-document YAML); - reads stdin", Required = true };
            var cluster = new Option<string?>("--cluster")
            {
                Description = delete ? "the (virtual) member cluster to delete from (default: the hub)" : "the (virtual) member cluster to apply to (default: the hub)",
            };
            var command = new Command(delete ? "delete" : "apply", delete
                ? "delete the objects of a manifest from the hub (Namespaces, their contents, ClusterResourcePlacements), or with --cluster from a member cluster"
                : "apply a manifest to the hub (Namespaces, their contents, ClusterResourcePlacements), or with --cluster to a (virtual) member cluster") { file, cluster };
            command.SetAction((r, ct) => Run(r, hub, errors, async fleet =>
            {
                var source = r.GetValue(file)!;
                IReadOnlyList<ManifestObject> objects;
                await using (var input = source == "-" ? Console.OpenStandardInput() : File.OpenRead(source))
                    objects = await ManifestReader.ReadAsync(input, source == "-" ? "<stdin>" : source, ct);
                var target = r.GetValue(cluster); // null: the hub's own objects
                var results = delete ? await fleet.DeleteManifestsAsync(target, objects) : await fleet.ApplyManifestsAsync(target, objects);
                var missing = new List<string>();
                foreach (var result in results)
                {
                    var kind = AppliedKind.Of(objects, result);
                    if (result.Warning is not null) await errors.WriteLineAsync($"Warning: {result.Kind} {result.Name}: {result.Warning}");
                    if (result.Action == "not found") missing.Add($"{kind} \"{result.Name}\" not found");
                    else if (delete) await output.WriteLineAsync($"{kind} \"{result.Name}\" {result.Action}"); // kubectl's wording
                    else await output.WriteLineAsync($"{kind}/{result.Name} {result.Action}");
                }
                if (missing.Count > 0) throw new NotFoundException(string.Join("; ", missing));
            }, ct));
            root.Subcommands.Add(command);
        }

        // get / describe
        var kindArg = new Argument<string>("KIND")
        {
            Description = "memberclusters|clusters, serviceexports|svcexport, serviceimports|svcimport, multiclusterservices|mcs, " +
                "clusterresourceplacements|crp, or the kind of objects applied to the hub (or to --cluster): namespaces|ns, services|svc, " +
                "deployments|deploy, configmaps|cm, any other plural such as clusterroles",
        };
        var nameArg = new Argument<string?>("NAME") { Arity = ArgumentArity.ZeroOrOne };
        var ns = new Option<string?>("--namespace", "-n") { Description = "namespace (default: default)" };
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "every namespace" };
        var onCluster = new Option<string?>("--cluster") { Description = "only objects of this member cluster (stored kinds: that virtual member's objects instead of the hub's)" };
        var format = new Option<string>("--output", "-o") { Description = "table|wide|json|yaml", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "wide", "json", "yaml");
        var get = new Command("get", "list objects, or show one, like kubectl get") { kindArg, nameArg, ns, all, onCluster, format };
        get.SetAction((r, ct) => Run(r, hub, errors, fleet => new Printer(fleet, output, errors).Get(
            r.GetValue(kindArg)!, r.GetValue(nameArg), r.GetValue(all) ? null : r.GetValue(ns) ?? "default",
            r.GetValue(onCluster), r.GetValue(format)!), ct));
        root.Subcommands.Add(get);

        var describeKind = new Argument<string>("KIND") { Description = "memberclusters|clusters, serviceexports|svcexport, serviceimports|svcimport, multiclusterservices|mcs, clusterresourceplacements|crp" };
        var describeName = new Argument<string>("NAME");
        var describeNs = new Option<string?>("--namespace", "-n");
        var describeCluster = new Option<string?>("--cluster");
        var describe = new Command("describe", "show one object with its conditions and its state per cluster (endpoints, backends, placement)") { describeKind, describeName, describeNs, describeCluster };
        describe.SetAction((r, ct) => Run(r, hub, errors, fleet => new Printer(fleet, output, errors).Describe(
            ResourceKinds.Parse(r.GetValue(describeKind)!), r.GetValue(describeName)!, r.GetValue(describeNs) ?? "default", r.GetValue(describeCluster)), ct));
        root.Subcommands.Add(describe);
        root.Subcommands.Add(CreateNamespace(hub, output, errors));
        root.Subcommands.Add(AgentCommand.Build(hub, errors));
        return root;
    }

    /// <summary>`create namespace NAME` as kubectl has it (the seed's first step on the fleet hub): refused when it exists.</summary>
    private static Command CreateNamespace(HubFlags hub, TextWriter output, TextWriter errors)
    {
        var name = new Argument<string>("NAME") { Description = "the namespace (a DNS-1123 label)" };
        var cluster = new Option<string?>("--cluster") { Description = "create it in this virtual member cluster instead of the hub" };
        var ns = new Command("namespace", "create a namespace on the hub (or in a virtual member)") { name, cluster };
        ns.Aliases.Add("ns");
        ns.SetAction((r, ct) => Run(r, hub, errors, async fleet =>
        {
            var target = r.GetValue(cluster);
            var text = r.GetValue(name)!;
            var existing = await fleet.ListManifestsAsync(target, ct);
            if (existing.Any(o => o.Kind == FleetApi.Namespace && o.ApiVersion == FleetApi.CoreV1 && o.Name == text))
                throw new HubRefusedException("AlreadyExists", $"namespaces \"{text}\" already exists");
            var json = new System.Text.Json.Nodes.JsonObject
            {
                ["apiVersion"] = FleetApi.CoreV1, ["kind"] = FleetApi.Namespace, ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = text },
            }.ToJsonString();
            await fleet.ApplyManifestsAsync(target, [new ManifestObject(FleetApi.CoreV1, FleetApi.Namespace, null, text, json, 1)], ct);
            await output.WriteLineAsync($"namespace/{text} created");
        }, ct));
        return new Command("create", "create an object, like kubectl create") { ns };
    }

    /// <summary>Connects (failing fast), runs the action, and turns errors into one line on stderr and exit code 1.</summary>
    private static async Task<int> Run(ParseResult result, HubFlags hub, TextWriter errors, Func<FleetClient, Task> action, CancellationToken ct)
    {
        try
        {
            using var fleet = new FleetClient(hub.Resolve(result));
            await action(fleet);
            return 0;
        }
        catch (FleetValidationException ex)
        {
            await errors.WriteLineAsync($"error: {OneLine(ex.Message)}");
        }
        catch (NotFoundException ex)
        {
            await errors.WriteLineAsync($"Error from server (NotFound): {OneLine(ex.Message)}");
        }
        catch (HubRefusedException ex)
        {
            await errors.WriteLineAsync($"Error from server ({ex.Reason}): {OneLine(ex.Message)}");
        }
        catch (HubUnreachableException ex)
        {
            await errors.WriteLineAsync($"error: {OneLine(ex.Message)}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            await errors.WriteLineAsync($"error: {OneLine(ex.Message)}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug rather than bad input; the user still gets one line and exit 1, not a stack trace.
            await errors.WriteLineAsync($"error: internal error ({ex.GetType().Name}): {OneLine(ex.Message)}");
        }
        return 1;
    }

    /// <summary>Messages quote user input, which may hold line breaks; an error stays one line.</summary>
    private static string OneLine(string message) => message.Replace("\r", "\\r").Replace("\n", "\\n");

    internal static Dictionary<string, string> ParseLabels(IEnumerable<string> labels)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            var eq = label.IndexOf('=');
            if (eq <= 0) throw new FleetValidationException("--label", $"\"{label}\" is not key=value");
            result[label[..eq]] = label[(eq + 1)..];
        }
        return result;
    }
}
