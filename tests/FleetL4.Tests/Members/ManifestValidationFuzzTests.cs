using System.Text.Json.Nodes;
using FleetL4.Members;
using FleetL4.Members.Resources;
using FleetL4.Members.Validation;
using FleetL4.Models;
using k8s.Models;
using Xunit.Abstractions;

namespace FleetL4.Tests.Members;

/// <summary>
/// Seeded field fuzzing: valid objects of every kind with one to three fields set to generated values (boundary
/// numbers, hostile names, wrong types). Each must end in success or a <see cref="FleetValidationException"/>;
/// what is accepted must then parse and translate without any exception, and pass the agent's check too.
/// </summary>
public sealed class ManifestValidationFuzzTests(ITestOutputHelper output)
{
    private const int Inputs = 6000;

    private static readonly string[] Templates =
    [
        """{"apiVersion":"v1","kind":"Service","metadata":{"name":"kuard","namespace":"kuard-demo","labels":{"app":"kuard"}},"spec":{"type":"ClusterIP","clusterIP":"10.0.0.10","sessionAffinity":"None","ports":[{"name":"http","protocol":"TCP","port":8080,"targetPort":8080,"appProtocol":"http"},{"name":"admin","port":9090,"targetPort":"admin"}]}}""",
        """{"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"kuard-abc","namespace":"kuard-demo","labels":{"kubernetes.io/service-name":"kuard"}},"addressType":"IPv4","endpoints":[{"addresses":["10.1.0.1"],"conditions":{"ready":true,"serving":true,"terminating":false},"zone":"eastus-1","hostname":"kuard-1","nodeName":"node-1"}],"ports":[{"name":"http","protocol":"TCP","port":8080}]}""",
        """{"apiVersion":"networking.fleet.azure.com/v1beta1","kind":"ServiceExport","metadata":{"name":"kuard","namespace":"kuard-demo","annotations":{"networking.fleet.azure.com/weight":"5"}}}""",
        """{"apiVersion":"networking.fleet.azure.com/v1alpha1","kind":"MultiClusterService","metadata":{"name":"kuard","namespace":"kuard-demo"},"spec":{"serviceImport":{"name":"kuard"}}}""",
        """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"kuard.settings","namespace":"kuard-demo"},"data":{"a":"b"}}""",
        """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"kuard-demo"}}""",
        """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"system:kuard"}}""",
        """{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w","namespace":"kuard-demo"},"spec":{"size":3}}""",
    ];

    private static readonly string[] Strings =
    [
        "", " ", "a", "kuard", "Kuard", "kuard-demo", "-kuard", "kuard-", "ku--ard", "ku_ard", "ku.ard", "../etc", "..", ".", "/", "%2e",
        "kuard\n", "a\nb", "a\tb", "\u0000", "\u001b[31mred", "kuard-\U0001F600", "küard", "\ud800", "http", "HTTP", "h", "1_000", "8080",
        "-1", "0", "65535", "65536", "abcdefghijklmno", "abcdefghijklmnop", "a-b", "8-http", "TCP", "UDP", "SCTP", "tcp", "ICMP", "IPv4",
        "IPv6", "FQDN", "IPv5", "ClusterIP", "NodePort", "LoadBalancer", "ExternalName", "None", "ClientIP", "10.1.0.1", "10.1.0.256",
        "010.1.0.1", "1.2.3", "fd00::1", "FD00:0::1", "[fd00::1]", "fd00::1%eth0", "::ffff:10.1.0.1", "kuard.example.com", "system:kuard",
        "v1", "discovery.k8s.io/v1", "networking.fleet.azure.com/v1alpha1", "networking.fleet.azure.com/v1beta1", "networking.x-k8s.io/v1alpha1",
        "Service", "EndpointSlice", "ServiceExport", "MultiClusterService", "ConfigMap", "true", "null", "~", "2024-01-01T00:00:00Z",
        new string('a', 63), new string('a', 64), new string('a', 253), new string('a', 254), new string('x', 10_000),
        "PickAll", "PickN", "PickFixed", "pickn", "In", "NotIn", "Exists", "DoesNotExist", "Near", "kube-system", "default", "fleet-x",
        "Namespace", "placement.kubernetes-fleet.io/v1", "fleet.azure.com/v1alpha1", "ClusterResourcePlacement", "apps",
    ];

    private const string Placement = """
        {"apiVersion":"placement.kubernetes-fleet.io/v1","kind":"ClusterResourcePlacement","metadata":{"name":"kuard-demo"},
         "spec":{"resourceSelectors":[{"group":"","version":"v1","kind":"Namespace","name":"kuard-demo"}],
          "policy":{"placementType":"PickN","numberOfClusters":2,"affinity":{"clusterAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":
           {"clusterSelectorTerms":[{"labelSelector":{"matchLabels":{"location":"eastus"},"matchExpressions":[{"key":"env","operator":"In","values":["prod"]}]}}]}}}}}}
        """;

    private const string Term = "spec.policy.affinity.clusterAffinity.requiredDuringSchedulingIgnoredDuringExecution.clusterSelectorTerms";

    private static readonly string[] PlacementPaths =
    [
        "apiVersion", "kind", "metadata.name", "metadata.namespace", "spec", "spec.resourceSelectors", "spec.resourceSelectors[0]",
        "spec.resourceSelectors[0].group", "spec.resourceSelectors[0].version", "spec.resourceSelectors[0].kind", "spec.resourceSelectors[0].name",
        "spec.resourceSelectors[0].labelSelector", "spec.resourceSelectors[0].labelSelector.matchLabels", "spec.resourceSelectors[1].kind",
        "spec.policy", "spec.policy.placementType", "spec.policy.numberOfClusters", "spec.policy.clusterNames", "spec.policy.clusterNames[0]",
        "spec.policy.affinity", "spec.policy.affinity.clusterAffinity", Term, Term + "[0]", Term + "[0].labelSelector",
        Term + "[0].labelSelector.matchLabels", Term + "[0].labelSelector.matchLabels.location", Term + "[0].labelSelector.matchExpressions",
        Term + "[0].labelSelector.matchExpressions[0].key", Term + "[0].labelSelector.matchExpressions[0].operator",
        Term + "[0].labelSelector.matchExpressions[0].values", Term + "[0].labelSelector.matchExpressions[0].values[0]", Term + "[1]",
    ];

    [Fact]
    public void Generated_placement_fields_end_in_success_or_a_validation_error_and_what_passes_schedules_and_selects()
    {
        var random = new Random(14);
        int accepted = 0, refused = 0;
        IReadOnlyList<FleetL4.Domain.ClusterCandidate> clusters =
        [
            new("aks-member-1", new Dictionary<string, string> { ["location"] = "eastus", ["env"] = "prod" }),
            new("aks-member-2", new Dictionary<string, string> { ["location"] = "westus" }),
        ];
        Assert.Equal(PlacementApi.PickN, PlacementRules.Parse(AsSent(JsonNode.Parse(Placement)!.AsObject())).Policy.PlacementType); // the template is valid
        var namespaces = ManifestReader.Read("apiVersion: v1\nkind: Namespace\nmetadata: { name: kuard-demo, labels: { app: kuard } }\n", "ns");
        for (var i = 0; i < 3000; i++)
        {
            var root = JsonNode.Parse(Placement)!.AsObject();
            // One or two fields: a placement's rules refuse most generated values, and more would leave little accepted.
            for (var m = random.Next(1, 3); m > 0; m--) Set(root, PlacementPaths[random.Next(PlacementPaths.Length)], Value(random));
            var o = AsSent(root);
            PlacementSpec? spec = null;
            if (Refused(o, i, () => spec = PlacementRules.Parse(o)))
            {
                refused++;
                continue;
            }
            // What passes is acted on without an exception.
            FleetL4.Domain.PlacementScheduler.Schedule(spec!.Policy, clusters, ["aks-member-2"]);
            FleetL4.Domain.ResourceSelection.Namespaces(spec.ResourceSelectors, namespaces);
            accepted++;
        }
        output.WriteLine($"3000 placements: {accepted} accepted, {refused} refused");
        // Most generated values are wrong for a placement's strict fields; some of every run must still pass.
        Assert.True(accepted > 60 && refused > 1500, $"{accepted} accepted, {refused} refused");
    }

    private static readonly string[] Paths =
    [
        "apiVersion", "kind", "metadata", "metadata.name", "metadata.namespace", "metadata.labels", "metadata.labels.app",
        "metadata.annotations", "metadata.annotations.note", "metadata.annotations.networking.fleet.azure.com/weight", "metadata.generation",
        "metadata.resourceVersion", "metadata.creationTimestamp", "spec", "spec.type", "spec.clusterIP", "spec.sessionAffinity", "spec.ports",
        "spec.ports[0]", "spec.ports[0].port", "spec.ports[0].targetPort", "spec.ports[0].protocol", "spec.ports[0].name",
        "spec.ports[0].appProtocol", "spec.ports[1].targetPort", "spec.ports[1].name", "spec.serviceImport", "spec.serviceImport.name",
        "addressType", "endpoints", "endpoints[0]", "endpoints[0].addresses", "endpoints[0].addresses[0]", "endpoints[0].conditions",
        "endpoints[0].conditions.ready", "endpoints[0].conditions.serving", "endpoints[0].conditions.terminating", "endpoints[0].zone",
        "endpoints[0].hostname", "endpoints[0].nodeName", "ports", "ports[0]", "ports[0].port", "ports[0].name", "ports[0].protocol", "data",
    ];

    [Fact]
    public void Generated_field_values_end_in_success_or_a_validation_error_and_what_passes_translates()
    {
        var random = new Random(13);
        int accepted = 0, refused = 0;
        for (var i = 0; i < Inputs; i++)
        {
            var root = JsonNode.Parse(Templates[random.Next(Templates.Length)])!.AsObject();
            for (var m = random.Next(1, 4); m > 0; m--) Set(root, Paths[random.Next(Paths.Length)], Value(random));
            var o = AsSent(root);
            if (Refused(o, i, () => { }))
            {
                refused++;
                continue;
            }
            Translate(o, i);
            accepted++;
        }
        output.WriteLine($"{Inputs} inputs: {accepted} accepted, {refused} refused");
        Assert.True(accepted > Inputs / 10 && refused > Inputs / 4, $"{accepted} accepted, {refused} refused");
    }

    /// <summary>Validates (then runs <paramref name="then"/>): true when refused with an error naming a field in one line;
    /// any other exception fails the test.</summary>
    private static bool Refused(ManifestObject o, int i, Action then)
    {
        try
        {
            ManifestValidation.Validate(o);
            then();
            return false;
        }
        catch (FleetValidationException ex)
        {
            Assert.False(string.IsNullOrEmpty(ex.Field), o.Json);
            Assert.DoesNotContain('\n', ex.Message);
            return true;
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"input {i} ended in {ex.GetType().Name}: {ex.Message}\n{o.Json}");
            throw;
        }
    }

    /// <summary>An accepted object parses as its type (or is refused by that parse, for fields we do not read),
    /// translates without an exception, and the agent's check of the same object agrees.</summary>
    private static void Translate(ManifestObject o, int i)
    {
        try
        {
            var objects = MemberObjects.From([o]);
            foreach (var service in objects.Services.Values)
            {
                MemberTranslator.ToService(service, []);
                Assert.Null(ManifestValidation.Refusal(service));
            }
            foreach (var slice in objects.EndpointSlices.Values.SelectMany(s => s.Values))
            {
                MemberTranslator.ToEndpoints([slice]);
                Assert.Null(ManifestValidation.Refusal(slice));
            }
            foreach (var export in objects.ServiceExports.Values)
            {
                MemberTranslator.ExportReport(export, null, []);
                Assert.Null(ManifestValidation.Refusal(export));
            }
            foreach (var mcs in objects.MultiClusterServices.Values)
            {
                MemberTranslator.McsSpec(mcs);
                Assert.Null(ManifestValidation.Refusal(mcs));
            }
        }
        catch (FleetValidationException)
        {
            // metadata.generation: "x" and the like: fields of the object's type that the rules do not read.
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"accepted input {i} then failed in translation with {ex.GetType().Name}: {ex.Message}\n{o.Json}");
        }
    }

    /// <summary>The object as the manifest reader (or a client of the hub API) sends it.</summary>
    private static ManifestObject AsSent(JsonObject root)
    {
        static string? Text(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
        var meta = root["metadata"] as JsonObject;
        return new ManifestObject(Text(root["apiVersion"]) ?? "v1", Text(root["kind"]) ?? "Widget", Text(meta?["namespace"]),
            Text(meta?["name"]) ?? "x", root.ToJsonString(), 1);
    }

    private static JsonNode? Value(Random random) => random.Next(5) switch
    {
        0 => JsonValue.Create(Strings[random.Next(Strings.Length)]),
        1 => Number(random),
        2 => random.Next(3) switch { 0 => JsonValue.Create(true), 1 => JsonValue.Create(false), _ => null },
        3 => random.Next(4) switch
        {
            0 => new JsonArray(),
            1 => new JsonObject(),
            2 => new JsonArray(Number(random), JsonValue.Create(Strings[random.Next(Strings.Length)])),
            _ => Nested(random.Next(1, 40)),
        },
        _ => JsonValue.Create(new string((char)random.Next(0x20, 0x7f), random.Next(0, 300))),
    };

    private static JsonNode Number(Random random) => random.Next(14) switch
    {
        0 => JsonValue.Create(-1),
        1 => JsonValue.Create(0),
        2 => JsonValue.Create(1),
        3 => JsonValue.Create(65535),
        4 => JsonValue.Create(65536),
        5 => JsonValue.Create(int.MaxValue),
        6 => JsonValue.Create(2147483648L),
        7 => JsonValue.Create(long.MaxValue),
        8 => JsonValue.Create(long.MinValue),
        9 => JsonValue.Create(0.5),
        10 => JsonValue.Create(1e300),
        11 => JsonValue.Create(80.0),
        12 => JsonValue.Create(decimal.MaxValue),
        _ => JsonValue.Create(random.Next(-70000, 70000)),
    };

    private static JsonNode Nested(int depth)
    {
        JsonNode node = new JsonArray();
        for (var d = 0; d < depth; d++) node = d % 2 == 0 ? new JsonObject { ["a"] = node } : new JsonArray(node);
        return node;
    }

    /// <summary>Sets a dotted path ("spec.ports[0].port"), creating what is missing; a path through a non-container replaces it.</summary>
    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        // Annotation keys hold dots: the weight's key is one segment.
        var weight = "networking.fleet.azure.com/weight";
        var parts = path.Replace(weight, "\u0001").Split('.').Select(p => p.Replace("\u0001", weight)).ToArray();
        JsonNode current = root;
        for (var p = 0; p < parts.Length; p++)
        {
            var (key, index) = Segment(parts[p]);
            var last = p == parts.Length - 1;
            var obj = current as JsonObject ?? throw new InvalidOperationException();
            if (index is null)
            {
                if (last) { obj[key] = value; return; }
                if (obj[key] is not JsonObject) obj[key] = new JsonObject();
                current = obj[key]!;
                continue;
            }
            if (obj[key] is not JsonArray array) obj[key] = array = [];
            while (array.Count <= index) array.Add(new JsonObject());
            if (last) { array[index.Value] = value; return; }
            if (array[index.Value] is not JsonObject) array[index.Value] = new JsonObject();
            current = array[index.Value]!;
        }
    }

    private static (string Key, int? Index) Segment(string part)
    {
        var bracket = part.IndexOf('[');
        return bracket < 0 ? (part, null) : (part[..bracket], int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
