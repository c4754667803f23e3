using System.Text.Json.Nodes;
using FleetL4.LoadBalancing;
using FleetL4.LoadBalancing.Azure;
using FleetL4.Members;
using FleetL4.Tests.Cli;
using FleetL4.Tests.Infrastructure;
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
}
