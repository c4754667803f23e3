using System.Text.Json.Nodes;
using FleetL4.Members;
using FleetL4.Members.Validation;
using FleetL4.Models;

namespace FleetL4.Tests.Members;

/// <summary>A ClusterResourcePlacement is checked as Fleet's CRD and webhook check it; every refusal names its field.</summary>
public sealed class PlacementRulesTests
{
    private const string Seed = FleetL4.Tests.Infrastructure.SeedManifests.SeedPlacement;

    private const string Namespace = "{ group: \"\", version: v1, kind: Namespace, name: kuard-demo }";
    private const string Terms = "spec.policy.affinity.clusterAffinity.requiredDuringSchedulingIgnoredDuringExecution.clusterSelectorTerms";

    private static string Crp(string spec, string metadata = "{ name: kuard-demo }", string apiVersion = PlacementApi.ApiVersion) => $"""
        apiVersion: {apiVersion}
        kind: ClusterResourcePlacement
        metadata: {metadata}
        spec: {spec}
        """;

    private static string Selecting(string selector) => Crp($"{{ resourceSelectors: [ {selector} ] }}");

    private static string WithPolicy(string policy) => Crp($"{{ resourceSelectors: [ {Namespace} ], policy: {policy} }}");

    private static string WithTerm(string term) =>
        WithPolicy($"{{ affinity: {{ clusterAffinity: {{ requiredDuringSchedulingIgnoredDuringExecution: {{ clusterSelectorTerms: [ {term} ] }} }} }} }}");

    private static ManifestObject Read(string yaml) => Assert.Single(ManifestReader.Read(yaml, "test"));

    private static PlacementSpec Parse(string yaml) => PlacementRules.Parse(Read(yaml));

    [Fact]
    public void The_seed_places_the_namespace_on_the_eastus_clusters_with_PickAll()
    {
        var spec = Parse(Seed);
        Assert.Equal("kuard-demo", spec.Name);
        var selector = Assert.Single(spec.ResourceSelectors);
        Assert.Equal(new ResourceSelector("", "v1", "Namespace", "kuard-demo", null), selector);
        Assert.Equal(PlacementApi.PickAll, spec.Policy.PlacementType);
        Assert.Empty(spec.Policy.ClusterNames);
        Assert.Null(spec.Policy.NumberOfClusters);
        var term = Assert.Single(spec.Policy.ClusterSelectorTerms);
        Assert.Equal(new Dictionary<string, string> { ["fleet.azure.com/location"] = "eastus" }, term.MatchLabels);
        Assert.Empty(term.MatchExpressions);
    }

    [Fact]
    public void Without_a_policy_it_is_PickAll_of_every_cluster()
    {
        Assert.Equal(PlacementPolicy.Default, Parse(Selecting(Namespace)).Policy);
    }

    [Fact]
    public void PickN_takes_its_number_and_expressions()
    {
        var spec = Parse(WithPolicy("""
            { placementType: PickN, numberOfClusters: 2, affinity: { clusterAffinity: { requiredDuringSchedulingIgnoredDuringExecution:
              { clusterSelectorTerms: [ { labelSelector: { matchExpressions: [ { key: fleet.azure.com/location, operator: In, values: [eastus, westus] },
                                                                            { key: canary, operator: DoesNotExist } ] } },
                                        { labelSelector: {} } ] } } } }
            """));
        Assert.Equal(PlacementApi.PickN, spec.Policy.PlacementType);
        Assert.Equal(2, spec.Policy.NumberOfClusters);
        Assert.Equal(2, spec.Policy.ClusterSelectorTerms.Count);
        var expressions = spec.Policy.ClusterSelectorTerms[0].MatchExpressions;
        Assert.Equal(["fleet.azure.com/location", "canary"], expressions.Select(e => e.Key));
        Assert.Equal(["eastus", "westus"], expressions[0].Values);
        Assert.Empty(expressions[1].Values);
        Assert.Equal(LabelSelector.Everything.MatchLabels, spec.Policy.ClusterSelectorTerms[1].MatchLabels);
    }

    [Fact]
    public void PickFixed_takes_its_cluster_names_in_order()
    {
        var spec = Parse(WithPolicy("{ placementType: PickFixed, clusterNames: [aks-member-3, aks-member-1] }"));
        Assert.Equal(["aks-member-3", "aks-member-1"], spec.Policy.ClusterNames);
    }

    [Fact]
    public void Cluster_scoped_kinds_are_selected_by_name_or_label()
    {
        var spec = Parse(Crp("""
            { resourceSelectors: [ { group: rbac.authorization.k8s.io, version: v1, kind: ClusterRole, name: "system:kuard" },
                                   { group: "", version: v1, kind: Namespace, labelSelector: { matchLabels: { app: kuard } } },
                                   { group: apiextensions.k8s.io, version: v1, kind: CustomResourceDefinition } ] }
            """));
        Assert.Equal("system:kuard", spec.ResourceSelectors[0].Name);
        Assert.Equal("kuard", spec.ResourceSelectors[1].LabelSelector!.MatchLabels["app"]);
        Assert.Null(spec.ResourceSelectors[1].Name);
        Assert.Equal(new ResourceSelector("apiextensions.k8s.io", "v1", "CustomResourceDefinition", null, null), spec.ResourceSelectors[2]);
    }

    [Fact]
    public void A_name_of_63_characters_is_taken()
    {
        Assert.Equal(new string('a', 63), Parse(Crp($"{{ resourceSelectors: [ {Namespace} ] }}", $"{{ name: {new string('a', 63)} }}")).Name);
    }

    /// <summary>(manifest, the field the refusal names).</summary>
    public static TheoryData<string, string> Refused() => new()
    {
        { Crp($"{{ resourceSelectors: [ {Namespace} ] }}", apiVersion: "fleet.azure.com/v1alpha1"), "apiVersion" },
        { Crp($"{{ resourceSelectors: [ {Namespace} ] }}", apiVersion: "placement.kubernetes-fleet.io/v1beta1"), "apiVersion" },
        // metadata
        { Crp($"{{ resourceSelectors: [ {Namespace} ] }}", $"{{ name: {new string('a', 64)} }}"), "metadata.name" },
        { Crp($"{{ resourceSelectors: [ {Namespace} ] }}", "{ name: Kuard }"), "metadata.name" },
        { Crp($"{{ resourceSelectors: [ {Namespace} ] }}", "{ name: kuard_demo }"), "metadata.name" },
        { Crp($"{{ resourceSelectors: [ {Namespace} ] }}", "{ name: kuard-demo, namespace: kuard-demo }"), "metadata.namespace" },
        // spec and its selectors
        { Crp("null"), "spec" },
        { Crp("{}"), "spec.resourceSelectors" },
        { Crp("{ resourceSelectors: [] }"), "spec.resourceSelectors" },
        { Crp("{ resourceSelectors: [ " + string.Join(", ", Enumerable.Repeat(Namespace, 101)) + " ] }"), "spec.resourceSelectors" },
        { Selecting("{ version: v1, kind: Namespace, name: kuard-demo }"), "spec.resourceSelectors[0].group" },
        { Selecting("{ group: \"\", kind: Namespace, name: kuard-demo }"), "spec.resourceSelectors[0].version" },
        { Selecting("{ group: \"\", version: \"\", kind: Namespace }"), "spec.resourceSelectors[0].version" },
        { Selecting("{ group: \"\", version: v1, name: kuard-demo }"), "spec.resourceSelectors[0].kind" },
        { Selecting("{ group: \"\", version: v1, kind: \"\" }"), "spec.resourceSelectors[0].kind" },
        { Selecting("{ group: \"\", version: v1, kind: \"Name space\" }"), "spec.resourceSelectors[0].kind" },
        { Selecting("{ group: Example.COM, version: v1, kind: Widget }"), "spec.resourceSelectors[0].group" },
        { Selecting("{ group: \"\", version: v1, kind: Namespace, name: kuard, labelSelector: { matchLabels: { app: kuard } } }"), "spec.resourceSelectors[0]" },
        { Selecting("{ group: \"\", version: v2, kind: Namespace, name: kuard-demo }"), "spec.resourceSelectors[0].version" },
        { Selecting("{ group: \"\", version: v1, kind: Namespace, name: Kuard }"), "spec.resourceSelectors[0].name" },
        { Selecting("{ group: example.com, version: v1, kind: Widget, name: a/b }"), "spec.resourceSelectors[0].name" },
        { Crp($"{{ resourceSelectors: [ {Namespace}, {{ group: \"\", version: v1, kind: Namespace, name: default }} ] }}"), "spec.resourceSelectors[1].name" },
        { Selecting("{ group: \"\", version: v1, kind: Namespace, name: kube-system }"), "spec.resourceSelectors[0].name" },
        { Selecting("{ group: \"\", version: v1, kind: Namespace, name: kube-public }"), "spec.resourceSelectors[0].name" },
        { Selecting("{ group: \"\", version: v1, kind: Namespace, name: fleet-system }"), "spec.resourceSelectors[0].name" },
        { Selecting("{ group: \"\", version: v1, kind: Service, name: kuard }"), "spec.resourceSelectors[0].kind" },
        { Selecting("{ group: \"\", version: v1, kind: ConfigMap }"), "spec.resourceSelectors[0].kind" },
        { Selecting("{ group: apps, version: v1, kind: Deployment, name: kuard }"), "spec.resourceSelectors[0].kind" },
        { Selecting("{ group: discovery.k8s.io, version: v1, kind: EndpointSlice }"), "spec.resourceSelectors[0].kind" },
        { Selecting("{ group: networking.fleet.azure.com, version: v1alpha1, kind: ServiceExport }"), "spec.resourceSelectors[0].kind" },
        { Selecting("{ group: networking.fleet.azure.com, version: v1alpha1, kind: MultiClusterService }"), "spec.resourceSelectors[0].kind" },
        { Selecting("{ group: \"\", version: v1, kind: Namespace, labelSelector: { matchExpressions: [ { key: app, operator: Gt, values: [\"1\"] } ] } }"),
            "spec.resourceSelectors[0].labelSelector.matchExpressions[0].operator" },
        // policy
        { WithPolicy("{ placementType: PickSome }"), "spec.policy.placementType" },
        { WithPolicy("{ placementType: \"\" }"), "spec.policy.placementType" },
        { WithPolicy("{ placementType: pickall }"), "spec.policy.placementType" },
        { WithPolicy("{ placementType: PickN }"), "spec.policy.numberOfClusters" },
        { WithPolicy("{ placementType: PickN, numberOfClusters: -1 }"), "spec.policy.numberOfClusters" },
        { WithPolicy("{ placementType: PickN, numberOfClusters: 4294967296 }"), "spec.policy.numberOfClusters" },
        { WithPolicy("{ placementType: PickN, numberOfClusters: 2, clusterNames: [aks-member-1] }"), "spec.policy.clusterNames" },
        { WithPolicy("{ numberOfClusters: 2 }"), "spec.policy.numberOfClusters" },
        { WithPolicy("{ clusterNames: [aks-member-1] }"), "spec.policy.clusterNames" },
        { WithPolicy("{ placementType: PickFixed }"), "spec.policy.clusterNames" },
        { WithPolicy("{ placementType: PickFixed, clusterNames: [] }"), "spec.policy.clusterNames" },
        { WithPolicy("{ placementType: PickFixed, clusterNames: [" + string.Join(", ", Enumerable.Range(0, 101).Select(i => $"c{i}")) + "] }"), "spec.policy.clusterNames" },
        { WithPolicy("{ placementType: PickFixed, clusterNames: [aks-member-1, aks-member-1] }"), "spec.policy.clusterNames[1]" },
        { WithPolicy("{ placementType: PickFixed, clusterNames: [Aks_Member] }"), "spec.policy.clusterNames[0]" },
        { WithPolicy("{ placementType: PickFixed, clusterNames: [aks-member-1], numberOfClusters: 1 }"), "spec.policy.numberOfClusters" },
        { WithPolicy("{ placementType: PickFixed, clusterNames: [aks-member-1], affinity: {} }"), "spec.policy.affinity" },
        // affinity and label selectors
        { WithPolicy("{ affinity: { clusterAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } } }"), Terms },
        { WithPolicy("{ affinity: { clusterAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { clusterSelectorTerms: [] } } } }"), Terms },
        { WithTerm(string.Join(", ", Enumerable.Repeat("{ labelSelector: {} }", 11))), Terms },
        { WithTerm("{}"), $"{Terms}[0].labelSelector" },
        { WithTerm("{ labelSelector: { matchLabel: { app: kuard } } }"), $"{Terms}[0].labelSelector.matchLabel" },
        { WithTerm("{ labelSelector: { matchLabels: { \"bad key\": x } } }"), $"{Terms}[0].labelSelector.matchLabels[bad key]" },
        { WithTerm("{ labelSelector: { matchLabels: { app: \"-x\" } } }"), $"{Terms}[0].labelSelector.matchLabels[app]" },
        { WithTerm("{ labelSelector: { matchExpressions: [ { operator: Exists } ] } }"), $"{Terms}[0].labelSelector.matchExpressions[0].key" },
        { WithTerm("{ labelSelector: { matchExpressions: [ { key: \"a b\", operator: Exists } ] } }"), $"{Terms}[0].labelSelector.matchExpressions[0].key" },
        { WithTerm("{ labelSelector: { matchExpressions: [ { key: app } ] } }"), $"{Terms}[0].labelSelector.matchExpressions[0].operator" },
        { WithTerm("{ labelSelector: { matchExpressions: [ { key: app, operator: Gt, values: [\"1\"] } ] } }"), $"{Terms}[0].labelSelector.matchExpressions[0].operator" },
        { WithTerm("{ labelSelector: { matchExpressions: [ { key: app, operator: in, values: [kuard] } ] } }"), $"{Terms}[0].labelSelector.matchExpressions[0].operator" },
        { WithTerm("{ labelSelector: { matchExpressions: [ { key: app, operator: In } ] } }"), $"{Terms}[0].labelSelector.matchExpressions[0].values" },
        { WithTerm("{ labelSelector: { matchExpressions: [ { key: app, operator: NotIn, values: [] } ] } }"), $"{Terms}[0].labelSelector.matchExpressions[0].values" },
        { WithTerm("{ labelSelector: { matchExpressions: [ { key: app, operator: Exists, values: [kuard] } ] } }"), $"{Terms}[0].labelSelector.matchExpressions[0].values" },
        { WithTerm("{ labelSelector: { matchExpressions: [ { key: app, operator: DoesNotExist, values: [kuard] } ] } }"), $"{Terms}[0].labelSelector.matchExpressions[0].values" },
        { WithTerm("{ labelSelector: { matchExpressions: [ { key: app, operator: In, values: [\"bad value\"] } ] } }"), $"{Terms}[0].labelSelector.matchExpressions[0].values[0]" },
        { WithTerm("{ labelSelector: { matchExpressions: [ { key: app, operator: In, value: [kuard] } ] } }"), $"{Terms}[0].labelSelector.matchExpressions[0].value" },
    };

    /// <summary>(manifest, the field the refusal names): a value of the wrong JSON type, never read as absent.</summary>
    public static TheoryData<string, string> WrongTypes() => new()
    {
        { Crp("kuard"), "spec" },
        { Crp("[ kuard ]"), "spec" },
        { Crp("{ resourceSelectors: {} }"), "spec.resourceSelectors" },
        { Crp("{ resourceSelectors: Namespace }"), "spec.resourceSelectors" },
        { Crp("{ resourceSelectors: [ Namespace ] }"), "spec.resourceSelectors[0]" },
        { Crp("{ resourceSelectors: [ [] ] }"), "spec.resourceSelectors[0]" },
        { Selecting("{ group: 1, version: v1, kind: Namespace }"), "spec.resourceSelectors[0].group" },
        { Selecting("{ group: \"\", version: 1, kind: Namespace }"), "spec.resourceSelectors[0].version" },
        { Selecting("{ group: \"\", version: v1, kind: { a: b } }"), "spec.resourceSelectors[0].kind" },
        { Selecting("{ group: \"\", version: v1, kind: Namespace, name: [ kuard ] }"), "spec.resourceSelectors[0].name" },
        { Selecting("{ group: \"\", version: v1, kind: Namespace, labelSelector: \"app=kuard\" }"), "spec.resourceSelectors[0].labelSelector" },
        { WithPolicy("PickAll"), "spec.policy" },
        { WithPolicy("[]"), "spec.policy" },
        { WithPolicy("{ placementType: 1 }"), "spec.policy.placementType" },
        { WithPolicy("{ placementType: PickN, numberOfClusters: \"2\" }"), "spec.policy.numberOfClusters" },
        { WithPolicy("{ placementType: PickN, numberOfClusters: 2.5 }"), "spec.policy.numberOfClusters" },
        { WithPolicy("{ placementType: PickN, numberOfClusters: true }"), "spec.policy.numberOfClusters" },
        { WithPolicy("{ placementType: PickFixed, clusterNames: aks-member-1 }"), "spec.policy.clusterNames" },
        { WithPolicy("{ placementType: PickFixed, clusterNames: [ 1 ] }"), "spec.policy.clusterNames[0]" },
        { WithPolicy("{ placementType: PickFixed, clusterNames: [ [ aks-member-1 ] ] }"), "spec.policy.clusterNames[0]" },
        { WithPolicy("{ affinity: true }"), "spec.policy.affinity" },
        { WithPolicy("{ affinity: { clusterAffinity: [] } }"), "spec.policy.affinity.clusterAffinity" },
        { WithPolicy("{ affinity: { clusterAffinity: { requiredDuringSchedulingIgnoredDuringExecution: x } } }"),
            "spec.policy.affinity.clusterAffinity.requiredDuringSchedulingIgnoredDuringExecution" },
        { WithPolicy("{ affinity: { clusterAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { clusterSelectorTerms: {} } } } }"), Terms },
        { WithTerm("x"), $"{Terms}[0]" },
        { WithTerm("{ labelSelector: [] }"), $"{Terms}[0].labelSelector" },
        { WithTerm("{ labelSelector: { matchLabels: [] } }"), $"{Terms}[0].labelSelector.matchLabels" },
        { WithTerm("{ labelSelector: { matchLabels: { env: true } } }"), $"{Terms}[0].labelSelector.matchLabels[env]" },
        { WithTerm("{ labelSelector: { matchLabels: { env: 1 } } }"), $"{Terms}[0].labelSelector.matchLabels[env]" },
        { WithTerm("{ labelSelector: { matchExpressions: {} } }"), $"{Terms}[0].labelSelector.matchExpressions" },
        { WithTerm("{ labelSelector: { matchExpressions: [ app ] } }"), $"{Terms}[0].labelSelector.matchExpressions[0]" },
        { WithTerm("{ labelSelector: { matchExpressions: [ { key: 1, operator: Exists } ] } }"), $"{Terms}[0].labelSelector.matchExpressions[0].key" },
        { WithTerm("{ labelSelector: { matchExpressions: [ { key: app, operator: [ In ] } ] } }"), $"{Terms}[0].labelSelector.matchExpressions[0].operator" },
        { WithTerm("{ labelSelector: { matchExpressions: [ { key: app, operator: In, values: kuard } ] } }"), $"{Terms}[0].labelSelector.matchExpressions[0].values" },
        { WithTerm("{ labelSelector: { matchExpressions: [ { key: app, operator: In, values: [ 1 ] } ] } }"), $"{Terms}[0].labelSelector.matchExpressions[0].values[0]" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    [MemberData(nameof(WrongTypes))]
    public void A_bad_placement_is_refused_naming_the_field(string yaml, string field)
    {
        var ex = Assert.Throws<FleetValidationException>(() => Parse(yaml));
        Assert.Equal(field, ex.Field);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    [MemberData(nameof(WrongTypes))]
    public void Manifest_validation_refuses_it_too_naming_the_same_field(string yaml, string field)
    {
        var ex = Assert.Throws<FleetValidationException>(() => ManifestValidation.Validate(Read(yaml)));
        Assert.Equal(field, ex.Field);
    }

    [Theory]
    [InlineData("kube-system")]
    [InlineData("fleet-system")]
    [InlineData("default")]
    public void A_reserved_namespace_is_refused_saying_which_are_reserved(string name)
    {
        var ex = Assert.Throws<FleetValidationException>(() => Parse(Selecting($"{{ group: \"\", version: v1, kind: Namespace, name: {name} }}")));
        Assert.Equal($"namespace \"{name}\" is reserved: a placement cannot select default, kube-* or fleet-*", ex.Detail);
    }

    [Fact]
    public void A_namespaced_kind_is_refused_pointing_at_its_Namespace()
    {
        var ex = Assert.Throws<FleetValidationException>(() => Parse(Selecting("{ group: apps, version: v1, kind: Deployment, name: kuard }")));
        Assert.Equal("Deployment is namespaced: a ClusterResourcePlacement selects cluster-scoped resources; select the Namespace to place everything in it", ex.Detail);
    }

    [Fact]
    public void The_old_apiVersion_is_refused_naming_the_served_one_by_parse_and_by_manifest_validation()
    {
        var o = Read(Crp($"{{ resourceSelectors: [ {Namespace} ] }}", apiVersion: "fleet.azure.com/v1alpha1"));
        const string detail = "fleet.azure.com/v1alpha1 is not served for ClusterResourcePlacement; served: placement.kubernetes-fleet.io/v1";
        Assert.Equal(detail, Assert.Throws<FleetValidationException>(() => PlacementRules.Parse(o)).Detail);
        var ex = Assert.Throws<FleetValidationException>(() => ManifestValidation.Validate(o));
        Assert.Equal($"apiVersion: document 1 (ClusterResourcePlacement kuard-demo): {detail}", ex.Message);
    }

    [Fact]
    public void It_is_a_kind_FleetL4_acts_on_and_cluster_scoped()
    {
        var o = Read(Seed);
        ManifestValidation.Validate(o);
        Assert.Equal(MemberObjectKind.ClusterResourcePlacement, MemberObjectKinds.Classify(o));
        Assert.True(MemberObjectKinds.IsClusterScoped(o));
        Assert.Equal(MemberObjectKind.Other, MemberObjectKinds.Classify("fleet.azure.com/v1alpha1", PlacementApi.Kind));
    }

    [Theory]
    [InlineData("[1]", "object")]
    [InlineData("{\"apiVersion\":\"placement.kubernetes-fleet.io/v1\",\"kind\":\"ClusterResourcePlacement\",\"metadata\":{\"name\":\"a\"},\"spec\":{},\"spec\":{}}", "object")]
    [InlineData("{\"apiVersion\":\"placement.kubernetes-fleet.io/v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"a\"}}", "kind")]
    [InlineData("{\"apiVersion\":\"placement.kubernetes-fleet.io/v1\",\"metadata\":{\"name\":\"a\"}}", "kind")]
    [InlineData("{\"kind\":\"ClusterResourcePlacement\",\"metadata\":{\"name\":\"a\"}}", "apiVersion")]
    [InlineData("{\"apiVersion\":7,\"kind\":\"ClusterResourcePlacement\",\"metadata\":{\"name\":\"a\"}}", "apiVersion")]
    [InlineData("{\"apiVersion\":\"placement.kubernetes-fleet.io/v1\",\"kind\":\"ClusterResourcePlacement\",\"spec\":{}}", "metadata")]
    [InlineData("{\"apiVersion\":\"placement.kubernetes-fleet.io/v1\",\"kind\":\"ClusterResourcePlacement\",\"metadata\":{}}", "metadata.name")]
    public void Parse_reads_the_JSON_it_is_given_not_the_fields_beside_it(string json, string field)
    {
        var o = new ManifestObject(PlacementApi.ApiVersion, PlacementApi.Kind, null, "a", json);
        Assert.Equal(field, Assert.Throws<FleetValidationException>(() => PlacementRules.Parse(o)).Field);
    }

    /// <summary>Every value of the seed (and of a PickN and a PickFixed placement), replaced by each JSON type in
    /// turn: parsed, or refused with a validation error, never another exception.</summary>
    [Fact]
    public void Any_value_of_any_type_anywhere_is_parsed_or_refused_with_a_validation_error()
    {
        string[] bases =
        [
            Read(Seed).Json,
            Read(WithTerm("{ labelSelector: { matchExpressions: [ { key: app, operator: In, values: [a, b] } ] } }")).Json,
            Read(WithPolicy("{ placementType: PickN, numberOfClusters: 2 }")).Json,
            Read(WithPolicy("{ placementType: PickFixed, clusterNames: [aks-member-1] }")).Json,
        ];
        JsonNode?[] replacements = [null, "", "x", "kube-system", 0, -1, 2.5, true, new JsonArray(), new JsonArray(JsonValue.Create("a")), new JsonObject(), new JsonObject { ["a"] = 1 }];
        var tried = 0;
        foreach (var json in bases)
            foreach (var path in Paths(JsonNode.Parse(json)!, []))
                foreach (var replacement in replacements)
                {
                    var root = JsonNode.Parse(json)!;
                    Replace(root, path, replacement?.DeepClone());
                    var o = new ManifestObject(PlacementApi.ApiVersion, PlacementApi.Kind, null, "kuard-demo", root.ToJsonString());
                    var ex = Record.Exception(() => PlacementRules.Parse(o));
                    Assert.True(ex is null or FleetValidationException, $"{string.Join(".", path)} = {replacement?.ToJsonString() ?? "null"}: {ex}");
                    tried++;
                }
        Assert.True(tried > 300, $"{tried} cases");
    }

    private static IEnumerable<object[]> Paths(JsonNode node, object[] path)
    {
        yield return path;
        IEnumerable<(object Key, JsonNode? Child)> children = node switch
        {
            JsonObject o => o.Select(kv => ((object)kv.Key, kv.Value)),
            JsonArray a => a.Select((v, i) => ((object)i, v)),
            _ => [],
        };
        foreach (var (key, child) in children)
            if (child is not null)
                foreach (var p in Paths(child, [.. path, key])) yield return p;
    }

    private static void Replace(JsonNode root, object[] path, JsonNode? value)
    {
        if (path.Length == 0) return; // the root is not replaced: a non-object is covered above
        var parent = path[..^1].Aggregate(root, (n, key) => key is int i ? n[i]! : n[(string)key]!);
        if (path[^1] is int index) parent[index] = value;
        else parent[(string)path[^1]] = value;
    }
}
