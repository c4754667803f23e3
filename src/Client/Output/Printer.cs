using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FleetL4.Members;
using FleetL4.Members.Validation;
using FleetL4.Models;

namespace FleetL4.Client.Output;

/// <summary>`get` and `describe`: fetches through the facade and prints tables (kubectl's columns), JSON or YAML.</summary>
public sealed class Printer(FleetClient fleet, TextWriter output, TextWriter? errors = null)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    /// <summary>`get KIND`: a kind of <see cref="ResourceKinds"/>, else stored objects of the hub or of <paramref name="cluster"/>.</summary>
    /// <param name="ns">null = all namespaces.</param>
    public Task Get(string kind, string? name, string? ns, string? cluster, string format) =>
        ResourceKinds.TryParse(kind, out var known) ? Get(known, name, ns, cluster, format) : GetStored(StoredKind.Parse(kind), name, ns, cluster, format);

    /// <param name="ns">null = all namespaces.</param>
    public async Task Get(ResourceKind kind, string? name, string? ns, string? cluster, string format)
    {
        switch (kind)
        {
            case ResourceKind.ClusterResourcePlacement:
            {
                // Cluster-scoped, and only the hub has them: -n and --cluster do not apply.
                var items = name is null
                    ? await fleet.ListPlacementsAsync()
                    : [await Existing(fleet.GetPlacementAsync(name), p => p.Exists, kind, name)];
                await Write(items.Select(PlacementJson.Placement), name is not null, PlacementTable.Of(items, format == "wide", _now), format, ns: null);
                break;
            }
            case ResourceKind.MemberCluster:
            {
                var items = name is null
                    ? await fleet.ListMemberClustersAsync()
                    : [await Existing(fleet.GetMemberClusterAsync(name), m => m.Joined, kind, name)];
                var table = new Table(format == "wide" ? ["NAME", "JOINED", "HEALTHY", "VIRTUAL", "LABELS", "EXPORTS", "MCS", "AGE"] : ["NAME", "JOINED", "HEALTHY", "AGE"]);
                foreach (var m in items)
                {
                    var cells = new List<string> { m.Name, Status(m.Conditions, ConditionTypes.Joined), Status(m.Conditions, ConditionTypes.Healthy) };
                    if (format == "wide")
                        cells.AddRange([Bool(m.Virtual), string.Join(",", m.Labels.Select(kv => $"{kv.Key}={kv.Value}")), m.ServiceExports.Count.ToString(), m.MultiClusterServices.Count.ToString()]);
                    cells.Add(Age.Since(m.JoinedAt, _now));
                    table.Add([.. cells]);
                }
                await Write(items.Select(ResourceJson.MemberCluster), name is not null, table, format, ns);
                break;
            }
            case ResourceKind.ServiceExport:
            {
                var items = name is null
                    ? await fleet.ListServiceExportsAsync(cluster, ns)
                    : await Named(cluster, c => fleet.GetServiceExportAsync(c, ns ?? "default", name), e => e.Exists, kind, name);
                var multi = cluster is null;
                var headers = new List<string>();
                if (multi) headers.Add("CLUSTER");
                if (ns is null) headers.Add("NAMESPACE");
                headers.AddRange(["NAME", "IS-VALID", "IS-CONFLICTED"]);
                if (format == "wide") headers.AddRange(["WEIGHT", "ENDPOINTS"]);
                headers.Add("AGE");
                var table = new Table([.. headers]);
                foreach (var e in items)
                {
                    var cells = new List<string>();
                    if (multi) cells.Add(e.Cluster);
                    if (ns is null) cells.Add(e.Namespace);
                    cells.AddRange([e.Name, Status(e.Conditions, ConditionTypes.Valid), Status(e.Conditions, ConditionTypes.Conflict)]);
                    if (format == "wide") cells.AddRange([e.Weight.ToString(), e.Endpoints.Count.ToString()]);
                    cells.Add(Age.Since(e.CreationTimestamp, _now));
                    table.Add([.. cells]);
                }
                await Write(items.Select(ResourceJson.ServiceExport), name is not null && items.Count == 1, table, format, ns);
                break;
            }
            case ResourceKind.ServiceImport:
            {
                var items = name is null
                    ? await fleet.ListServiceImportsAsync(ns)
                    : [await Existing(fleet.GetServiceImportAsync(ns ?? "default", name), i => i.Exports.Count > 0 || i.MultiClusterServices.Count > 0, kind, name)];
                var headers = new List<string>();
                if (ns is null) headers.Add("NAMESPACE");
                headers.AddRange(["NAME", "TYPE", "PORTS", "CLUSTERS"]);
                if (format == "wide") headers.AddRange(["BACKENDS", "IMPORTERS"]);
                headers.Add("AGE");
                var table = new Table([.. headers]);
                foreach (var i in items)
                {
                    var cells = new List<string>();
                    if (ns is null) cells.Add(i.Namespace);
                    cells.AddRange([i.Name, i.Info.Type, Ports(i.Info.Ports), i.Info.Clusters.Count == 0 ? "<none>" : string.Join(",", i.Info.Clusters)]);
                    if (format == "wide") cells.AddRange([i.BackendCount.ToString(), i.MultiClusterServices.Count.ToString()]);
                    cells.Add(Age.Since(i.CreationTimestamp, _now));
                    table.Add([.. cells]);
                }
                await Write(items.Select(ResourceJson.ServiceImport), name is not null, table, format, ns);
                break;
            }
            case ResourceKind.MultiClusterService:
            {
                var items = name is null
                    ? await fleet.ListMultiClusterServicesAsync(cluster, ns)
                    : await Named(cluster, c => fleet.GetMultiClusterServiceAsync(c, ns ?? "default", name), m => m.Exists, kind, name);
                var table = MultiClusterServiceTable.Of(items, clusterColumn: cluster is null, namespaceColumn: ns is null, format == "wide", _now);
                await Write(items.Select(ResourceJson.MultiClusterService), name is not null && items.Count == 1, table, format, ns);
                break;
            }
        }
    }

    public async Task Describe(ResourceKind kind, string name, string ns, string? cluster)
    {
        switch (kind)
        {
            case ResourceKind.ClusterResourcePlacement:
            {
                var p = await Existing(fleet.GetPlacementAsync(name), x => x.Exists, kind, name);
                var spec = PlacementRules.Parse(new ManifestObject(PlacementApi.ApiVersion, PlacementApi.Kind, null, p.Name, p.Json!));
                await PlacementDescription.Write(output, p, spec.Policy);
                break;
            }
            case ResourceKind.MemberCluster:
            {
                var m = await Existing(fleet.GetMemberClusterAsync(name), x => x.Joined, kind, name);
                await Lines(("Name", m.Name), ("Labels", string.Join(", ", m.Labels.Select(kv => $"{kv.Key}={kv.Value}"))),
                    ("Joined", m.JoinedAt.ToString("u")), ("Last heartbeat", m.LastHeartbeat?.ToString("u") ?? "<none since hub start>"),
                    ("Lease", m.LeaseLive ? "live" : "expired"), ("Exports", string.Join(", ", m.ServiceExports)),
                    ("Multi-cluster services", string.Join(", ", m.MultiClusterServices)));
                await Conditions(m.Conditions);
                break;
            }
            case ResourceKind.ServiceExport:
                foreach (var e in await Named(cluster, c => fleet.GetServiceExportAsync(c, ns, name), x => x.Exists, kind, name))
                {
                    await Lines(("Name", e.Name), ("Namespace", e.Namespace), ("Cluster", e.Cluster), ("Created", e.CreationTimestamp.ToString("u")),
                        ("Service", e.Service is null ? "<not found>" : $"{e.Service.Type} {Ports(e.Service.Ports)} affinity={e.Service.SessionAffinity}"),
                        ("Weight", e.Weight.ToString()));
                    await Conditions(e.Conditions);
                    var table = new Table("ADDRESS", "READY", "SERVING", "TERMINATING", "ZONE");
                    foreach (var p in e.Endpoints) table.Add(p.Address, p.Ready.ToString(), p.Serving.ToString(), p.Terminating.ToString(), p.Zone ?? "");
                    await output.WriteAsync($"Endpoints:\n{Indent(table.ToString())}\n");
                }
                break;
            case ResourceKind.ServiceImport:
            {
                var i = await Existing(fleet.GetServiceImportAsync(ns, name), x => x.Exports.Count > 0 || x.MultiClusterServices.Count > 0, kind, name);
                await Lines(("Name", i.Name), ("Namespace", i.Namespace), ("Type", i.Info.Type), ("Ports", Ports(i.Info.Ports)),
                    ("Session affinity", i.Info.SessionAffinity), ("Imported by", string.Join(", ", i.MultiClusterServices)));
                var table = new Table("CLUSTER", "STATE", "BACKENDS", "CONFLICT");
                foreach (var x in i.Exports) table.Add(x.Cluster, x.State, x.Backends.ToString(), x.ConflictMessage ?? "");
                await output.WriteAsync($"Exports:\n{Indent(table.ToString())}\n");
                break;
            }
            case ResourceKind.MultiClusterService:
                foreach (var m in await Named(cluster, c => fleet.DescribeMultiClusterServiceAsync(c, ns, name), x => x.Exists, kind, name))
                {
                    await Lines(("Name", m.Name), ("Namespace", m.Namespace), ("Cluster", m.Cluster), ("Service import", m.ServiceImportName),
                        ("External IP", m.ExternalIp ?? "<pending>"), ("IP family", m.IpFamily), ("Internal", m.Internal.ToString()), ("Ports", Ports(m.Import.Ports)),
                        ("Load balancer", m.LoadBalancerInSync ? "in sync" : $"not in sync{(m.LoadBalancerError is null ? "" : ": " + m.LoadBalancerError)}"));
                    // What the provider holds (Azure: the resources, the last write and its result, parked-until).
                    foreach (var line in m.LoadBalancerDetails ?? []) await output.WriteLineAsync($"  {line}");
                    await Conditions(m.Conditions);
                    await output.WriteLineAsync("Backends:");
                    foreach (var group in m.Backends.GroupBy(b => b.Cluster))
                        await output.WriteLineAsync($"  {group.Key}: {string.Join(", ", group.Select(b => b.Address))}");
                }
                break;
        }
    }

    /// <summary>Stored objects of a kind (the hub's, or <paramref name="cluster"/>'s): NAME AGE, NAMESPACE first for -A.</summary>
    private async Task GetStored(StoredKind kind, string? name, string? ns, string? cluster, string format)
    {
        var ofKind = (await fleet.ListManifestsAsync(cluster)).Where(kind.Matches).ToList();
        // Without discovery, a word no stored object answers to may be a typo: say so rather than list nothing.
        if (ofKind.Count == 0 && !kind.IsKnown) throw ResourceKinds.Unknown(kind.Word);
        var clusterScoped = kind.ClusterScoped(ofKind);
        var items = ofKind
            .Where(o => clusterScoped || string.IsNullOrEmpty(o.Namespace) || ns is null || o.Namespace == ns)
            .Where(o => name is null || o.Name == name)
            .OrderBy(o => o.Namespace ?? "", StringComparer.Ordinal).ThenBy(o => o.Name, StringComparer.Ordinal).ToList();
        if (name is not null && items.Count == 0) throw new NotFoundException($"{kind.Resource(ofKind)} \"{name}\" not found");
        var withNamespace = ns is null && !clusterScoped;
        var table = new Table(withNamespace ? ["NAMESPACE", "NAME", "AGE"] : ["NAME", "AGE"]);
        var objects = items.Select(o => JsonNode.Parse(o.Json)!.AsObject()).ToList();
        foreach (var (o, json) in items.Zip(objects))
        {
            var age = Age.Since(DateTimeOffset.TryParse((string?)json["metadata"]?["creationTimestamp"], CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var created) ? created : default, _now);
            table.Add(withNamespace ? [o.Namespace ?? "", o.Name, age] : [o.Name, age]);
        }
        await Write(objects, name is not null && items.Count == 1, table, format, clusterScoped ? null : ns);
    }

    /// <summary>One named object of one cluster, or of every cluster that has it when no cluster is given.</summary>
    private async Task<IReadOnlyList<T>> Named<T>(string? cluster, Func<string, Task<T>> get, Func<T, bool> exists, ResourceKind kind, string name)
    {
        var clusters = cluster is null ? (await fleet.ListMemberClustersAsync()).Select(m => m.Name) : [cluster];
        var found = (await Task.WhenAll(clusters.Select(get))).Where(exists).ToArray();
        return found.Length > 0 ? found : throw new NotFoundException($"{ResourceKinds.Plural(kind)} \"{name}\" not found");
    }

    private static async Task<T> Existing<T>(Task<T> get, Func<T, bool> exists, ResourceKind kind, string name)
    {
        var item = await get;
        return exists(item) ? item : throw new NotFoundException($"{ResourceKinds.Plural(kind)} \"{name}\" not found");
    }

    private async Task Write(IEnumerable<JsonObject> objects, bool single, Table table, string format, string? ns)
    {
        var list = objects.ToList();
        JsonNode node = single && list.Count == 1 ? list[0] : ResourceJson.List(list);
        switch (format)
        {
            case "json": await output.WriteLineAsync(node.ToJsonString(Indented)); break;
            case "yaml": await output.WriteAsync(YamlOutput.Write(node)); break;
            default:
                // As kubectl: the notice goes to stderr, so that scripts reading stdout see nothing.
                if (table.Count == 0) await (errors ?? output).WriteLineAsync(ns is null ? "No resources found" : $"No resources found in {ns} namespace.");
                else await output.WriteAsync(table.ToString());
                break;
        }
    }

    private Task Lines(params (string Key, string Value)[] lines) => DescribeText.Lines(output, lines);

    private Task Conditions(IEnumerable<Condition> conditions) => DescribeText.Conditions(output, conditions);

    /// <summary>A condition's status for a table cell; blank when there is no such condition, as kubectl prints a
    /// printer column whose JSONPath matches nothing.</summary>
    internal static string Status(IEnumerable<Condition> conditions, string type) =>
        conditions.FirstOrDefault(c => c.Type == type)?.Status ?? "";

    private static string Ports(IEnumerable<ServicePort> ports) =>
        string.Join(",", ports.Select(p => $"{p.Port}/{p.Protocol}")) is { Length: > 0 } s ? s : "<none>";

    private static string Indent(string text) => DescribeText.Indent(text);

    /// <summary>A boolean column, spelled as condition statuses are.</summary>
    internal static string Bool(bool value) => value ? ConditionStatuses.True : ConditionStatuses.False;
}
