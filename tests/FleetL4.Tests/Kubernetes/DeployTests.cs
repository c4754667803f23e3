using System.Text.Json.Nodes;
using FleetL4.Members;
using FleetL4.Members.Resources;
using FleetL4.Tests.Cli;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Kubernetes;

/// <summary>deploy/ renders with the real `kubectl kustomize`, and what it renders is what the agent and hub need.</summary>
public sealed class DeployTests
{
    private static async Task<IReadOnlyList<JsonObject>> Kustomize(string dir)
    {
        var result = await ProcessRunner.Run("kubectl", ["kustomize", Path.Combine(CliRunner.RepoRoot(), "deploy", dir)]);
        Assert.True(result.ExitCode == 0, $"kubectl kustomize deploy/{dir}: {result}");
        return ManifestReader.Read(result.Stdout, dir).Select(o => JsonNode.Parse(o.Json)!.AsObject()).ToArray();
    }

    private static string Kind(JsonObject o) => o["kind"]!.GetValue<string>();

    [Fact]
    public async Task The_hub_base_renders_a_silo_with_gateway_dashboard_configmap_rbac_and_pdb()
    {
        var objects = await Kustomize("hub");
        Assert.Equal(["ConfigMap", "Deployment", "Namespace", "PodDisruptionBudget", "Role", "RoleBinding", "Service", "ServiceAccount"],
            objects.Select(Kind).Distinct().Order());
        Assert.All(objects.Where(o => Kind(o) != "Namespace"), o => Assert.Equal("fleetl4-system", o["metadata"]!["namespace"]!.GetValue<string>()));
        var pod = objects.Single(o => Kind(o) == "Deployment")["spec"]!["template"]!;
        Assert.Equal("fleetl4", pod["metadata"]!["labels"]!["orleans/serviceId"]!.GetValue<string>());
        var container = pod["spec"]!["containers"]![0]!;
        Assert.Equal("fleetl4/hub:0.1.0", container["image"]!.GetValue<string>());
        Assert.Contains(container["env"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "POD_IP");
        var services = objects.Where(o => Kind(o) == "Service").Select(o => o["metadata"]!["name"]!.GetValue<string>()).Order();
        Assert.Equal(["fleetl4-dashboard", "fleetl4-gateway"], services);
        var config = objects.Single(o => Kind(o) == "ConfigMap")["data"]!;
        Assert.Equal("Kubernetes", config["Hub__Clustering"]!.GetValue<string>());
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
        Assert.Equal("^[a-z]([-a-z0-9]*[a-z0-9])?$", importName["pattern"]!.GetValue<string>());

        var rules = objects.Single(o => Kind(o) == "ClusterRole")["rules"]!.AsArray();
        var verbs = rules.SelectMany(r => r!["verbs"]!.AsArray().Select(v => v!.GetValue<string>())).ToHashSet();
        Assert.DoesNotContain("*", verbs);
        Assert.DoesNotContain(rules, r => r!["resources"]!.AsArray().Any(x => x!.GetValue<string>() is "secrets" or "pods" or "*"));
        // Services and EndpointSlices are only read.
        Assert.All(rules.Where(r => r!["resources"]!.AsArray().Any(x => x!.GetValue<string>() is "services" or "endpointslices")),
            r => Assert.Equal(["get", "list", "watch"], r!["verbs"]!.AsArray().Select(v => v!.GetValue<string>())));
        var agent = objects.Single(o => Kind(o) == "Deployment")["spec"]!["template"]!["spec"]!;
        Assert.Equal("fleetl4-agent", agent["serviceAccountName"]!.GetValue<string>());
        Assert.Equal("agent", agent["containers"]![0]!["args"]![0]!.GetValue<string>());
    }
}
