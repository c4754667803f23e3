using System.Text.Json.Nodes;
using FleetL4.Hosting;
using FleetL4.LoadBalancing;
using FleetL4.LoadBalancing.Azure;
using FleetL4.Members;
using FleetL4.Tests.Cli;
using FleetL4.Tests.Infrastructure;
using FleetL4.Tests.Kubernetes;
using Microsoft.Extensions.Configuration;

namespace FleetL4.Tests.AzureProvider;

/// <summary>deploy/hub-azure renders with the real `kubectl kustomize` into a hub the Azure provider's checks accept.</summary>
public sealed class AzureDeployTests
{
    [Fact]
    public async Task The_Azure_overlay_selects_the_provider_with_workload_identity_and_valid_settings()
    {
        var result = await ProcessRunner.Run("kubectl", ["kustomize", Path.Combine(CliRunner.RepoRoot(), "deploy", "hub-azure")]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var objects = ManifestReader.Read(result.Stdout, "hub-azure").Select(o => JsonNode.Parse(o.Json)!.AsObject()).ToArray();
        var data = objects.Single(o => o["kind"]!.GetValue<string>() == "ConfigMap")["data"]!.AsObject();

        // The environment the pod gets, read the way the hub reads it.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(data.Select(kv => KeyValuePair.Create(kv.Key.Replace("__", ":"), (string?)kv.Value!.GetValue<string>())))
            .Build();
        Assert.Equal(LoadBalancerProviderKind.Azure, configuration.GetSection("FleetL4").Get<LoadBalancingOptions>()!.Provider);
        var azure = configuration.GetSection(AzureOptions.Section).Get<AzureOptions>()!;
        var check = new AzureOptionsValidator().Validate(null, azure);
        Assert.True(check.Succeeded, string.Join("; ", check.Failures ?? []));
        Assert.Equal(AzureCredentialKind.Default, azure.Credential);

        var account = objects.Single(o => o["kind"]!.GetValue<string>() == "ServiceAccount");
        Assert.NotNull(account["metadata"]!["annotations"]!["azure.workload.identity/client-id"]);
        var pod = objects.Single(o => o["kind"]!.GetValue<string>() == "Deployment")["spec"]!["template"]!;
        Assert.Equal("true", pod["metadata"]!["labels"]!["azure.workload.identity/use"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_Azure_overlay_reaches_the_hub_s_storage_with_workload_identity_and_no_connection_string()
    {
        var objects = await DeployTests.Kustomize("hub-azure");
        var configuration = DeployTests.HubConfiguration(objects);
        var (hub, failures) = DeployTests.HubOptionsOf(configuration);
        Assert.Empty(failures);
        Assert.Equal((HubClustering.Kubernetes, HubStorage.AzureStorage), (hub.Clustering, hub.Storage));
        // The account's endpoints, with DefaultAzureCredential (the pod's federated token): no key anywhere.
        Assert.Equal(("https", "https"), (hub.AzureStorage.TableServiceUri?.Scheme, hub.AzureStorage.BlobServiceUri?.Scheme));
        Assert.Null(hub.AzureStorage.ConnectionString);
        Assert.DoesNotContain(DeployTests.HubContainer(objects)["env"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "Hub__AzureStorage__ConnectionString"
            || e["valueFrom"]?["secretKeyRef"]?["name"]?.GetValue<string>() == "fleetl4-hub-storage");
        var pod = objects.Single(o => DeployTests.Kind(o) == "Deployment")["spec"]!["template"]!;
        Assert.Equal("true", pod["metadata"]!["labels"]!["azure.workload.identity/use"]!.GetValue<string>());
        Assert.Equal("fleetl4-hub", pod["spec"]!["serviceAccountName"]!.GetValue<string>());
        var account = objects.Single(o => DeployTests.Kind(o) == "ServiceAccount" && o["metadata"]!["name"]!.GetValue<string>() == "fleetl4-hub");
        Assert.True(Guid.TryParse(account["metadata"]!["annotations"]!["azure.workload.identity/client-id"]!.GetValue<string>(), out _));
        // The patch removed one variable and kept the rest of the base's pod.
        Assert.Equal(3, objects.Single(o => DeployTests.Kind(o) == "Deployment")["spec"]!["replicas"]!.GetValue<int>());
        Assert.Contains(DeployTests.HubContainer(objects)["env"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "POD_IP");
    }
}
