using System.Text.Json.Nodes;
using FleetL4.Domain;
using FleetL4.Models;

namespace FleetL4.Tests.Domain;

public class ResourceSelectionTests
{
    private static ManifestObject Object(string apiVersion, string kind, string name, string labels = "{}") =>
        new(apiVersion, kind, null, name, new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = JsonNode.Parse(labels) },
        }.ToJsonString());

    private static ManifestObject Ns(string name, string labels = "{}") => Object("v1", "Namespace", name, labels);

    private static readonly ManifestObject[] Namespaces =
    [
        Ns("kuard-demo", """{"app":"kuard"}"""), Ns("billing", """{"app":"billing","tier":"prod"}"""), Ns("Zeta"), Ns("alpha"),
        Ns("default", """{"app":"kuard"}"""), Ns("kube-system", """{"app":"kuard"}"""), Ns("fleet-system", """{"app":"kuard"}"""),
        Object("example.com/v1", "Namespace", "kuard-demo-lookalike", """{"app":"kuard"}"""), // not a v1 Namespace
    ];

    private static ResourceSelector Namespace(string? name = null, LabelSelector? labels = null) => new("", "v1", "Namespace", name, labels);

    private static LabelSelector Labels(string key, string value) => new(new Dictionary<string, string> { [key] = value }, []);

    /// <summary>(selectors, the namespaces selected).</summary>
    public static TheoryData<ResourceSelector[], string[]> NamespaceCases() => new()
    {
        { [Namespace("kuard-demo")], ["kuard-demo"] },
        { [Namespace("missing")], [] },
        { [Namespace(labels: Labels("app", "kuard"))], ["kuard-demo"] },               // never default, kube-*, fleet-*
        { [Namespace(labels: LabelSelector.Everything)], ["Zeta", "alpha", "billing", "kuard-demo"] },
        { [Namespace()], ["Zeta", "alpha", "billing", "kuard-demo"] },                 // neither name nor labels: all
        { [Namespace("kube-system")], [] },                                              // even by name (validation refuses it first)
        { [Namespace("alpha"), Namespace(labels: Labels("tier", "prod")), Namespace("alpha")], ["alpha", "billing"] },
        { [new ResourceSelector("", "v2", "Namespace", "kuard-demo", null)], [] },      // not v1
        { [new ResourceSelector("example.com", "v1", "Namespace", null, null)], [] },    // another group's Namespace kind
        { [new ResourceSelector("rbac.authorization.k8s.io", "v1", "ClusterRole", null, null)], [] },
        { [], [] },
    };

    [Theory]
    [MemberData(nameof(NamespaceCases))]
    public void Namespaces_selected_by_name_or_label_never_a_reserved_one(ResourceSelector[] selectors, string[] expected)
    {
        Assert.Equal(expected, ResourceSelection.Namespaces(selectors, Namespaces));
    }

    private static readonly ManifestObject[] ClusterScopedObjects =
    [
        Object("rbac.authorization.k8s.io/v1", "ClusterRole", "view-kuard", """{"app":"kuard"}"""),
        Object("rbac.authorization.k8s.io/v1", "ClusterRole", "admin-kuard", """{"app":"kuard"}"""),
        Object("rbac.authorization.k8s.io/v1", "ClusterRole", "billing"),
        Object("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "view-kuard", """{"app":"kuard"}"""),
        Object("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com"),
        Ns("kuard-demo", """{"app":"kuard"}"""),
    ];

    private static ResourceSelector Role(string? name = null, LabelSelector? labels = null) =>
        new("rbac.authorization.k8s.io", "v1", "ClusterRole", name, labels);

    /// <summary>(selectors, "Kind name" of the objects selected, in order).</summary>
    public static TheoryData<ResourceSelector[], string[]> ClusterScopedCases() => new()
    {
        { [Role("view-kuard")], ["ClusterRole view-kuard"] },
        { [Role(labels: Labels("app", "kuard"))], ["ClusterRole admin-kuard", "ClusterRole view-kuard"] },
        { [Role()], ["ClusterRole admin-kuard", "ClusterRole billing", "ClusterRole view-kuard"] },
        { [new ResourceSelector("rbac.authorization.k8s.io", "v1beta1", "ClusterRole", null, null)], [] }, // by version too
        { [new ResourceSelector("apiextensions.k8s.io", "v1", "CustomResourceDefinition", null, null), Role("billing")],
            ["CustomResourceDefinition widgets.example.com", "ClusterRole billing"] },
        { [Namespace()], [] },                                                                            // Namespaces are the other method's
        { [Role("view-kuard"), Role(labels: Labels("app", "kuard"))], ["ClusterRole admin-kuard", "ClusterRole view-kuard"] },
    };

    [Theory]
    [MemberData(nameof(ClusterScopedCases))]
    public void Cluster_scoped_objects_selected_by_kind_and_name_or_label(ResourceSelector[] selectors, string[] expected)
    {
        Assert.Equal(expected, ResourceSelection.ClusterScoped(selectors, ClusterScopedObjects).Select(o => $"{o.Kind} {o.Name}"));
    }

    [Fact]
    public void An_object_without_labels_matches_only_a_selector_that_needs_none()
    {
        var bare = new ManifestObject("v1", "Namespace", null, "bare", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"bare"}}""");
        Assert.Equal(["bare"], ResourceSelection.Namespaces([Namespace(labels: LabelSelector.Everything)], [bare]));
        Assert.Empty(ResourceSelection.Namespaces([Namespace(labels: Labels("app", "kuard"))], [bare]));
    }
}
