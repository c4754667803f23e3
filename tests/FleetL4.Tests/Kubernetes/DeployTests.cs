using System.Text.Json.Nodes;
using FleetL4.Hosting;
using FleetL4.HubKubernetes;
using FleetL4.Members;
using FleetL4.Members.Resources;
using FleetL4.Tests.Cli;
using FleetL4.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace FleetL4.Tests.Kubernetes;

/// <summary>deploy/ renders with the real `kubectl kustomize`, and what it renders is what the agent and hub need.</summary>
public sealed class DeployTests
{
    internal static async Task<IReadOnlyList<JsonObject>> Kustomize(string dir)
    {
        var result = await ProcessRunner.Run("kubectl", ["kustomize", Path.Combine(CliRunner.RepoRoot(), "deploy", dir)]);
        Assert.True(result.ExitCode == 0, $"kubectl kustomize deploy/{dir}: {result}");
        return ManifestReader.Read(result.Stdout, dir).Select(o => JsonNode.Parse(o.Json)!.AsObject()).ToArray();
    }

    internal static string Kind(JsonObject o) => o["kind"]!.GetValue<string>();

    internal static JsonNode HubContainer(IEnumerable<JsonObject> objects) =>
        objects.Single(o => Kind(o) == "Deployment")["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "hub")!;

    /// <summary>
    /// The hub's configuration as its pod gets it (the ConfigMap, then the container's env), read the way the hub reads
    /// it; an env var from a Secret gets <paramref name="secrets"/>' value for it, or none.
    /// </summary>
    internal static IConfiguration HubConfiguration(IEnumerable<JsonObject> objects, IReadOnlyDictionary<string, string>? secrets = null)
    {
        var data = objects.Single(o => Kind(o) == "ConfigMap" && o["metadata"]!["name"]!.GetValue<string>() == "fleetl4-hub")["data"]!.AsObject()
            .Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value!.GetValue<string>()));
        var env = HubContainer(objects)["env"]!.AsArray().Select(e => KeyValuePair.Create(e!["name"]!.GetValue<string>(),
            e["value"]?.GetValue<string>() ?? (e["valueFrom"]?["secretKeyRef"] is { } secret ? secrets?.GetValueOrDefault(secret["name"] + "/" + secret["key"]) : null)));
        return new ConfigurationBuilder()
            .AddInMemoryCollection(data.Concat(env).Where(kv => kv.Value is not null).Select(kv => KeyValuePair.Create(kv.Key.Replace("__", ":"), kv.Value)))
            .Build();
    }

    /// <summary>Hub:* as the hub checks it at start, less the TLS files' existence (they are the pod's Secret).</summary>
    internal static (HubOptions Hub, string[] Failures) HubOptionsOf(IConfiguration configuration)
    {
        var hub = configuration.GetSection(HubOptions.Section).Get<HubOptions>()!;
        var failures = new HubOptionsValidator().Validate(null, hub).Failures ?? [];
        return (hub, [.. failures.Where(f => !(f.StartsWith("Hub:Tls:", StringComparison.Ordinal) && f.EndsWith("does not exist", StringComparison.Ordinal)))]);
    }

    /// <summary>Whether a matchLabels selector selects pods with these labels.</summary>
    private static bool Selects(JsonNode? matchLabels, JsonNode? labels) =>
        matchLabels is JsonObject { Count: > 0 } selector && selector.All(kv => labels?[kv.Key]?.GetValue<string>() == kv.Value!.GetValue<string>());

    private static string[] Strings(JsonNode? array) => array is JsonArray a ? [.. a.Select(x => x!.GetValue<string>())] : [];

    // Upstream's metav1.Condition patterns (Azure/fleet-networking config/crd/bases).
    private const string ReasonPattern = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$";
    private const string TypePattern = @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$";

    private static JsonNode Schema(JsonNode version) => version["schema"]!["openAPIV3Schema"]!;

    private static JsonNode Status(JsonNode version) => Schema(version)["properties"]!["status"]!["properties"]!;

    private static string[] Keys(JsonNode? o) => [.. o!.AsObject().Select(kv => kv.Key).Order(StringComparer.Ordinal)];

    private static IEnumerable<string> Constants(Type type) =>
        type.GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

    [Fact]
    public void The_CRDs_have_upstream_Fleet_s_versions_columns_and_schemas()
    {
        // ServiceExport: v1alpha1 still served, v1beta1 stored, one schema and one set of columns.
        var export = CrdSchema.Crds["serviceexports"]["spec"]!["versions"]!.AsArray();
        Assert.Equal([("v1alpha1", true, false), ("v1beta1", true, true)],
            export.Select(v => (v!["name"]!.GetValue<string>(), v["served"]!.GetValue<bool>(), v["storage"]!.GetValue<bool>())));
        Assert.True(JsonNode.DeepEquals(export[0]!["schema"], export[1]!["schema"]));
        Assert.True(JsonNode.DeepEquals(export[0]!["additionalPrinterColumns"], export[1]!["additionalPrinterColumns"]));
        Assert.Equal([("Is-Valid", ".status.conditions[?(@.type=='Valid')].status"), ("Is-Conflicted", ".status.conditions[?(@.type=='Conflict')].status"),
            ("Age", ".metadata.creationTimestamp")], export[0]!["additionalPrinterColumns"]!.AsArray().Select(c => (c!["name"]!.GetValue<string>(), c["jsonPath"]!.GetValue<string>())));
        Assert.Equal([], Keys(Schema(export[0]!)["properties"]).Except(["apiVersion", "kind", "metadata", "status"])); // no spec

        // ServiceImport: no printer columns (kubectl prints NAME and AGE); status as upstream.
        var import = CrdSchema.Version("serviceimports", "v1alpha1");
        Assert.Single(CrdSchema.Crds["serviceimports"]["spec"]!["versions"]!.AsArray());
        Assert.Null(import["additionalPrinterColumns"]);
        var importStatus = Status(import);
        Assert.Equal(["clusters", "ips", "ports", "sessionAffinity", "sessionAffinityConfig", "type"], Keys(importStatus));
        Assert.Equal(1, importStatus["ips"]!["maxItems"]!.GetValue<int>());
        Assert.Equal(["cluster"], Strings(importStatus["clusters"]!["x-kubernetes-list-map-keys"]));
        var port = importStatus["ports"]!["items"]!;
        Assert.Equal(["appProtocol", "name", "port", "protocol", "targetPort"], Keys(port["properties"]));
        Assert.True(port["properties"]!["targetPort"]!["x-kubernetes-int-or-string"]!.GetValue<bool>());
        Assert.Equal(["TCP", "UDP", "SCTP"], Strings(port["properties"]!["protocol"]!["enum"]));
        Assert.Equal("integer", importStatus["sessionAffinityConfig"]!["properties"]!["clientIP"]!["properties"]!["timeoutSeconds"]!["type"]!.GetValue<string>());

        // MultiClusterService: a spec is required; ingress with ipMode and per-port status.
        var mcs = CrdSchema.Version("multiclusterservices", "v1alpha1");
        Assert.Equal(["spec"], Strings(Schema(mcs)["required"]));
        Assert.Equal(["name"], Strings(Schema(mcs)["properties"]!["spec"]!["properties"]!["serviceImport"]!["required"]));
        var ingress = Status(mcs)["loadBalancer"]!["properties"]!["ingress"]!["items"]!["properties"]!;
        Assert.Equal(["hostname", "ip", "ipMode", "ports"], Keys(ingress));
        Assert.Equal(["error", "port", "protocol"], Strings(ingress["ports"]!["items"]!["required"]));
        Assert.Equal(TypePattern, ingress["ports"]!["items"]!["properties"]!["error"]!["pattern"]!.GetValue<string>());

        foreach (var (plural, crd) in CrdSchema.Crds)
            foreach (var version in crd["spec"]!["versions"]!.AsArray())
            {
                Assert.Equal([("size(self.metadata.name) < 64", "metadata.name max length is 63")],
                    Schema(version!)["x-kubernetes-validations"]!.AsArray().Select(v => (v!["rule"]!.GetValue<string>(), v["message"]!.GetValue<string>())));
                if (Status(version!)["conditions"] is not { } conditions) continue;
                var condition = conditions["items"]!;
                Assert.Equal(["lastTransitionTime", "message", "reason", "status", "type"], Strings(condition["required"]).Order(StringComparer.Ordinal));
                Assert.Equal(["type"], Strings(conditions["x-kubernetes-list-map-keys"]));
                Assert.Equal(ReasonPattern, condition["properties"]!["reason"]!["pattern"]!.GetValue<string>());
                Assert.Equal(1, condition["properties"]!["reason"]!["minLength"]!.GetValue<int>());
                Assert.Equal(TypePattern, condition["properties"]!["type"]!["pattern"]!.GetValue<string>());
                Assert.True(plural is "serviceexports" or "multiclusterservices" or "clusterresourceplacements", plural);
            }

        // ClusterResourcePlacement: cluster-scoped v1 with the seed's columns (NAME GEN SCHEDULED SCHEDULEDGEN APPLIED
        // APPLIEDGEN AGE), short name crp, a status subresource; each cluster's conditions have the same schema.
        var crp = CrdSchema.Crds["clusterresourceplacements"]["spec"]!;
        Assert.Equal(("placement.kubernetes-fleet.io", "Cluster", "ClusterResourcePlacement"),
            (crp["group"]!.GetValue<string>(), crp["scope"]!.GetValue<string>(), crp["names"]!["kind"]!.GetValue<string>()));
        Assert.Equal(["crp"], Strings(crp["names"]!["shortNames"]));
        Assert.Equal(["fleet", "fleet-placement"], Strings(crp["names"]!["categories"]));
        var v1 = crp["versions"]!.AsArray().Single()!;
        Assert.Equal(("v1", true, true), (v1["name"]!.GetValue<string>(), v1["served"]!.GetValue<bool>(), v1["storage"]!.GetValue<bool>()));
        Assert.NotNull(v1["subresources"]!["status"]);
        const string scheduled = "?(@.type==\"ClusterResourcePlacementScheduled\")", applied = "?(@.type==\"ClusterResourcePlacementApplied\")";
        Assert.Equal([("Gen", ".metadata.generation"), ("Scheduled", $".status.conditions[{scheduled}].status"), ("ScheduledGen", $".status.conditions[{scheduled}].observedGeneration"),
            ("Applied", $".status.conditions[{applied}].status"), ("AppliedGen", $".status.conditions[{applied}].observedGeneration"), ("Age", ".metadata.creationTimestamp")],
            v1["additionalPrinterColumns"]!.AsArray().Select(c => (c!["name"]!.GetValue<string>(), c["jsonPath"]!.GetValue<string>())));
        var crpSpec = Schema(v1)["properties"]!["spec"]!;
        Assert.Equal(["resourceSelectors"], Strings(crpSpec["required"]));
        Assert.Equal(["group", "kind", "version"], Strings(crpSpec["properties"]!["resourceSelectors"]!["items"]!["required"]));
        Assert.Equal(["PickAll", "PickN", "PickFixed"], Strings(crpSpec["properties"]!["policy"]!["properties"]!["placementType"]!["enum"]));
        Assert.Equal(["conditions", "observedResourceIndex", "placementStatuses", "selectedResources"], Keys(Status(v1)));
        Assert.True(JsonNode.DeepEquals(Status(v1)["conditions"]!["items"], Status(v1)["placementStatuses"]!["items"]!["properties"]!["conditions"]!["items"]));
        // Every reason and type FleetL4 writes passes the patterns.
        Assert.All(Constants(typeof(ConditionReasons)), r => Assert.Matches(ReasonPattern, r));
        Assert.All(Constants(typeof(ConditionTypes)), t => Assert.Matches(TypePattern, t));
    }

    [Fact]
    public async Task The_hub_base_renders_a_silo_serving_the_hub_api_over_mutual_tls_with_configmap_rbac_and_pdb()
    {
        var objects = await Kustomize("hub");
        Assert.Equal(["ClusterRole", "ClusterRoleBinding", "ConfigMap", "CustomResourceDefinition", "Deployment", "Namespace", "NetworkPolicy", "PodDisruptionBudget",
            "Role", "RoleBinding", "Service", "ServiceAccount"], objects.Select(Kind).Distinct().Order());
        Assert.All(objects.Where(o => Kind(o) is not ("Namespace" or "CustomResourceDefinition" or "ClusterRole" or "ClusterRoleBinding")),
            o => Assert.Equal("fleetl4-system", o["metadata"]!["namespace"]!.GetValue<string>()));
        var pod = objects.Single(o => Kind(o) == "Deployment")["spec"]!["template"]!;
        Assert.Equal("fleetl4", pod["metadata"]!["labels"]!["orleans/serviceId"]!.GetValue<string>());
        var container = pod["spec"]!["containers"]![0]!;
        Assert.Equal("fleetl4/hub:0.1.0", container["image"]!.GetValue<string>());
        Assert.Contains(container["env"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "POD_IP");
        var services = objects.Where(o => Kind(o) == "Service").Select(o => o["metadata"]!["name"]!.GetValue<string>()).Order();
        // Members reach the hub API only; the Orleans gateway has no Service.
        Assert.Equal(["fleetl4-api", "fleetl4-dashboard"], services);
        var config = objects.Single(o => Kind(o) == "ConfigMap")["data"]!;
        Assert.Equal("Kubernetes", config["Hub__Clustering"]!.GetValue<string>());
        Assert.Equal("https://0.0.0.0:30443", config["Hub__ApiUrl"]!.GetValue<string>());
        // The TLS files are where the Secret is mounted.
        var mount = container["volumeMounts"]!.AsArray().Single(m => m!["mountPath"]!.GetValue<string>() == "/etc/fleetl4/tls")!;
        var volume = pod["spec"]!["volumes"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == mount["name"]!.GetValue<string>())!;
        Assert.Equal("fleetl4-hub-tls", volume["secret"]!["secretName"]!.GetValue<string>());
        foreach (var (key, file) in new[] { ("CertificateFile", "tls.crt"), ("KeyFile", "tls.key"), ("ClientCaFile", "ca.crt") })
            Assert.Equal($"/etc/fleetl4/tls/{file}", config[$"Hub__Tls__{key}"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_hub_base_installs_Fleet_s_CRDs_and_lets_the_hub_watch_its_own_cluster_and_write_placement_status()
    {
        var objects = await Kustomize("hub");
        Assert.Equal(["clusterresourceplacements.placement.kubernetes-fleet.io", "multiclusterservices.networking.fleet.azure.com",
            "serviceexports.networking.fleet.azure.com", "serviceimports.networking.fleet.azure.com"],
            objects.Where(o => Kind(o) == "CustomResourceDefinition").Select(o => o["metadata"]!["name"]!.GetValue<string>()).Order());
        var watch = HubConfiguration(objects).GetSection(HubKubernetesOptions.Section).Get<HubKubernetesOptions>()!;
        Assert.True(watch.Watch);
        Assert.Null(watch.Kubeconfig); // the pod's service account

        // The hub's service account may read every kind the watch lists and watches, in every namespace, write the
        // placements' status and record Events; nothing else of the cluster.
        var role = objects.Single(o => Kind(o) == "ClusterRole");
        var binding = objects.Single(o => Kind(o) == "ClusterRoleBinding");
        Assert.Equal(("ClusterRole", role["metadata"]!["name"]!.GetValue<string>()), (binding["roleRef"]!["kind"]!.GetValue<string>(), binding["roleRef"]!["name"]!.GetValue<string>()));
        var subject = binding["subjects"]!.AsArray().Single()!;
        Assert.Equal(("ServiceAccount", "fleetl4-hub", "fleetl4-system"),
            (subject["kind"]!.GetValue<string>(), subject["name"]!.GetValue<string>(), subject["namespace"]!.GetValue<string>()));
        var rules = role["rules"]!.AsArray();
        bool Grants(string group, string resource, string verb) => rules.Any(r => Strings(r!["apiGroups"]).Contains(group)
            && Strings(r["resources"]).Contains(resource) && Strings(r["verbs"]).Contains(verb));
        foreach (var kind in HubKinds.All)
            foreach (var verb in new[] { "get", "list", "watch" })
                Assert.True(Grants(kind.Group, kind.Plural, verb), $"{verb} {kind.Plural}.{kind.Group}");
        Assert.True(Grants("placement.kubernetes-fleet.io", "clusterresourceplacements/status", "patch"));
        Assert.True(Grants("", "events", "create"));
        Assert.DoesNotContain(rules, r => Strings(r!["resources"]).Any(x => x is "secrets" or "*") || Strings(r["verbs"]).Contains("*"));
        Assert.DoesNotContain(rules, r => !Strings(r!["resources"]).Any(x => x.EndsWith("/status", StringComparison.Ordinal) || x == "events")
            && Strings(r["verbs"]).Any(v => v is "create" or "update" or "patch" or "delete"));
    }

    [Fact]
    public async Task The_hub_base_runs_three_silos_of_one_cluster_on_Azure_Storage_that_drain_one_at_a_time_and_stop_gracefully()
    {
        var objects = await Kustomize("hub");
        var deployment = objects.Single(o => Kind(o) == "Deployment")["spec"]!;
        var pod = deployment["template"]!;
        var labels = pod["metadata"]!["labels"]!;
        var spec = pod["spec"]!;
        var container = HubContainer(objects);
        Assert.Equal(3, deployment["replicas"]!.GetValue<int>());
        // Rolling, never below three ready silos.
        Assert.Equal("RollingUpdate", deployment["strategy"]!["type"]!.GetValue<string>());
        Assert.Equal((0, 1), (deployment["strategy"]!["rollingUpdate"]!["maxUnavailable"]!.GetValue<int>(), deployment["strategy"]!["rollingUpdate"]!["maxSurge"]!.GetValue<int>()));

        // Drains take one silo at a time, and the budget is these pods'.
        var pdb = objects.Single(o => Kind(o) == "PodDisruptionBudget")["spec"]!;
        Assert.Equal(1, pdb["maxUnavailable"]!.GetValue<int>());
        Assert.Null(pdb["minAvailable"]);
        Assert.True(Selects(pdb["selector"]!["matchLabels"], labels), pdb.ToJsonString());

        // Spread across nodes.
        var spread = spec["affinity"]!["podAntiAffinity"]!["preferredDuringSchedulingIgnoredDuringExecution"]!.AsArray().Single()!["podAffinityTerm"]!;
        Assert.Equal("kubernetes.io/hostname", spread["topologyKey"]!.GetValue<string>());
        Assert.True(Selects(spread["labelSelector"]!["matchLabels"], labels), spread.ToJsonString());

        // One Orleans cluster on the storage account, which comes from a Secret, never a literal.
        var configuration = HubConfiguration(objects, new Dictionary<string, string> { ["fleetl4-hub-storage/connection-string"] = "UseDevelopmentStorage=true" });
        var (hub, failures) = HubOptionsOf(configuration);
        Assert.Empty(failures);
        Assert.Equal((HubClustering.Kubernetes, HubStorage.AzureStorage), (hub.Clustering, hub.Storage));
        var connection = container["env"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == "Hub__AzureStorage__ConnectionString")!;
        Assert.Null(connection["value"]);
        Assert.Equal(("fleetl4-hub-storage", "connection-string"),
            (connection["valueFrom"]!["secretKeyRef"]!["name"]!.GetValue<string>(), connection["valueFrom"]!["secretKeyRef"]!["key"]!.GetValue<string>()));
        Assert.Null(connection["valueFrom"]!["secretKeyRef"]!["optional"]); // the pod waits for the Secret rather than start without storage
        Assert.Null(HubConfiguration(objects)["Hub:AzureStorage:ConnectionString"]);

        // Orleans Kubernetes hosting takes the cluster's ids from the labels it selects pods by, and may only read pods.
        foreach (var (variable, label) in new[] { ("ORLEANS_SERVICE_ID", "orleans/serviceId"), ("ORLEANS_CLUSTER_ID", "orleans/clusterId") })
        {
            Assert.Equal($"metadata.labels['{label}']", container["env"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == variable)!["valueFrom"]!["fieldRef"]!["fieldPath"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(labels[label]?.GetValue<string>()), label);
        }
        var rule = objects.Single(o => Kind(o) == "Role")["rules"]!.AsArray().Single()!;
        Assert.Equal(["pods"], Strings(rule["resources"]));
        Assert.Equal(["get", "list", "watch"], Strings(rule["verbs"]));

        // Health on every interface, on the port the probes, the NetworkPolicy and the scrape annotation name.
        var health = new Uri(configuration["Hub:HealthUrl"]!);
        Assert.Equal(("http", "0.0.0.0"), (health.Scheme, health.Host));
        var port = container["ports"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "health")!;
        Assert.Equal(health.Port, port["containerPort"]!.GetValue<int>());
        foreach (var (probe, path) in new[] { ("readinessProbe", "/readyz"), ("livenessProbe", "/healthz"), ("startupProbe", "/healthz") })
            Assert.Equal((path, "health"), (container[probe]!["httpGet"]!["path"]!.GetValue<string>(), container[probe]!["httpGet"]!["port"]!.GetValue<string>()));
        var ingress = objects.Single(o => Kind(o) == "NetworkPolicy")["spec"]!["ingress"]!.AsArray();
        Assert.Contains(ingress, r => r!["from"] is null && r["ports"]!.AsArray().Any(p => p!["port"]!.GetValue<string>() == "health"));
        Assert.Equal(health.Port.ToString(), pod["metadata"]!["annotations"]!["prometheus.io/port"]!.GetValue<string>());

        // SIGTERM: the silo leaves the cluster within the host's shutdown timeout (the hub keeps .NET's default), before SIGKILL.
        Assert.True(spec["terminationGracePeriodSeconds"]!.GetValue<int>() > new HostOptions().ShutdownTimeout.TotalSeconds + 10,
            $"terminationGracePeriodSeconds {spec["terminationGracePeriodSeconds"]} leaves no margin over the {new HostOptions().ShutdownTimeout.TotalSeconds} s shutdown timeout");
    }

    [Fact]
    public async Task The_member_base_renders_the_CRDs_and_a_least_privilege_agent()
    {
        var objects = await Kustomize("member");
        var crds = objects.Where(o => Kind(o) == "CustomResourceDefinition").ToDictionary(o => o["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(["multiclusterservices.networking.fleet.azure.com", "serviceexports.networking.fleet.azure.com", "serviceimports.networking.fleet.azure.com"],
            crds.Keys.Order());
        var export = crds["serviceexports.networking.fleet.azure.com"]["spec"]!;
        Assert.Equal(["v1alpha1", "v1beta1"], export["versions"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()));
        Assert.Equal("svcexport", export["names"]!["shortNames"]![0]!.GetValue<string>());
        Assert.Equal("fleet-networking", export["names"]!["categories"]![0]!.GetValue<string>());
        Assert.All(export["versions"]!.AsArray(), v => Assert.NotNull(v!["subresources"]!["status"]));
        var mcs = crds["multiclusterservices.networking.fleet.azure.com"]["spec"]!["versions"]![0]!;
        Assert.Equal(["Service-Import", "External-IP", "Is-Valid", "Age"], mcs["additionalPrinterColumns"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        var importName = mcs["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!["serviceImport"]!["properties"]!["name"]!;
        Assert.Equal(63, importName["maxLength"]!.GetValue<int>());
        Assert.Equal("^([a-z]([-a-z0-9]*[a-z0-9])?)$", importName["pattern"]!.GetValue<string>());

        var roles = objects.Where(o => Kind(o) == "ClusterRole").ToDictionary(o => o["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(["fleetl4-agent", "fleetl4-agent-placement"], roles.Keys.Order());
        var rules = roles["fleetl4-agent"]["rules"]!.AsArray();
        var placement = roles["fleetl4-agent-placement"]["rules"]!.AsArray();
        foreach (var role in new[] { rules, placement })
        {
            Assert.DoesNotContain("*", role.SelectMany(r => r!["verbs"]!.AsArray().Select(v => v!.GetValue<string>())));
            Assert.DoesNotContain(role, r => r!["resources"]!.AsArray().Any(x => x!.GetValue<string>() is "secrets" or "pods" or "*"));
        }
        // Placed objects are applied (server-side: get, create, patch) and removed, of the kinds listed only.
        Assert.All(placement, r => Assert.Equal(["get", "create", "patch", "delete"], Strings(r!["verbs"])));
        Assert.Contains(placement, r => Strings(r!["apiGroups"]) is ["apps"] && Strings(r["resources"]).Contains("deployments"));
        Assert.Contains(placement, r => Strings(r!["apiGroups"]) is [""] && Strings(r["resources"]).Contains("namespaces") && Strings(r["resources"]).Contains("services"));
        Assert.Contains(objects, o => Kind(o) == "ClusterRoleBinding" && o["roleRef"]!["name"]!.GetValue<string>() == "fleetl4-agent-placement"
            && o["subjects"]![0]!["name"]!.GetValue<string>() == "fleetl4-agent");
        // The agent's own watches only read Services and EndpointSlices.
        Assert.All(rules.Where(r => r!["resources"]!.AsArray().Any(x => x!.GetValue<string>() is "services" or "endpointslices")),
            r => Assert.Equal(["get", "list", "watch"], r!["verbs"]!.AsArray().Select(v => v!.GetValue<string>())));
        // Events on ServiceExports and MCSes; blockOwnerDeletion on the ServiceImports' ownerReferences to their MCS.
        Assert.Contains(rules, r => Strings(r!["apiGroups"]) is [""] && Strings(r["resources"]) is ["events"] && Strings(r["verbs"]) is ["create", "patch"]);
        Assert.Contains(rules, r => Strings(r!["resources"]) is ["multiclusterservices/finalizers"] && Strings(r["verbs"]) is ["update"]);
        var deployment = objects.Single(o => Kind(o) == "Deployment")["spec"]!;
        var agent = deployment["template"]!["spec"]!;
        Assert.Equal("fleetl4-agent", agent["serviceAccountName"]!.GetValue<string>());
        Assert.Equal("agent", agent["containers"]![0]!["args"]![0]!.GetValue<string>());
        // Two replicas, one leader on a Lease in the agent's namespace: only that Lease may be updated.
        Assert.Equal(2, deployment["replicas"]!.GetValue<int>());
        Assert.Contains("--leader-elect", Strings(agent["containers"]![0]!["args"]));
        var lease = objects.Single(o => Kind(o) == "Role")["rules"]!.AsArray();
        Assert.Contains(lease, r => Strings(r!["apiGroups"]) is ["coordination.k8s.io"] && Strings(r["resources"]) is ["leases"]
            && Strings(r["resourceNames"]) is ["fleetl4-agent"] && Strings(r["verbs"]) is ["get", "update"]);
        Assert.Equal("fleetl4-system", objects.Single(o => Kind(o) == "Role")["metadata"]!["namespace"]!.GetValue<string>());
    }
}
