using FleetL4.Tests.Cli;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Kubernetes;

/// <summary>The real kubectl against a fake member API server that the agent keeps up to date.</summary>
public sealed class KubectlTests(AgentHubFixture fixture) : IClassFixture<AgentHubFixture>
{
    [Fact]
    public async Task Kubectl_shows_the_seed_columns_and_can_patch_status()
    {
        const string ns = "kubectl-demo";
        await using var m = await MemberHarness.StartAsync("kubectl-member", fixture.Members, fixture.WorkDir);
        m.ApplyServed(ns, "10.8.0.1");
        await Eventually.True(() => m.Condition("serviceexports", ns, "kuard", "Conflict", "reason") == "NoConflictFound"
            && m.McsIp(ns) is not null, "statuses written");

        var exports = await Kubectl(m, "get", "serviceexports", "-n", ns);
        var lines = exports.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "IS-VALID", "IS-CONFLICTED", "AGE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["kuard", "True", "False"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..3]);

        var mcs = await Kubectl(m, "get", "mcs", "-n", ns);
        var ip = m.McsIp(ns)!;
        var mcsLines = mcs.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "SERVICE-IMPORT", "EXTERNAL-IP", "IS-VALID", "AGE"], mcsLines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["kuard", "kuard", ip, "True"], mcsLines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..4]);

        // Someone overwrites the status by hand: the agent, level-triggered, writes the hub's verdict back.
        await Kubectl(m, "patch", "serviceexport", "kuard", "-n", ns, "--subresource=status", "--type=merge",
            "-p", """{"status":{"conditions":[{"type":"Valid","status":"False","reason":"Tampered","message":"by hand","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}""");
        await Eventually.True(() => m.Condition("serviceexports", ns, "kuard", "Valid", "reason") == "ServiceIsValid", "status restored by the agent");
    }

    [Fact]
    public async Task Kubectl_reads_a_v1alpha1_ServiceExport_as_v1beta1_and_prints_ServiceImports_with_NAME_and_AGE_only()
    {
        const string ns = "kubectl-versions";
        await using var m = await MemberHarness.StartAsync("kubectl-versions", fixture.Members, fixture.WorkDir);
        m.Apply(MemberHarness.Workload(ns)); // the ServiceExport as v1alpha1; the agent watches and patches v1beta1
        m.Apply(MemberHarness.Mcs(ns));
        await Eventually.True(() => m.Condition("serviceexports", ns, "kuard", "Conflict", "reason") == "NoConflictFound"
            && m.Api.Get("serviceimports", ns, "kuard")?["status"]?["clusters"]?.AsArray().Count == 1, "status written and ServiceImport mirrored");

        var exports = TableText.Parse(await Kubectl(m, "get", "serviceexport", "-n", ns));
        Assert.Equal(["NAME", "IS-VALID", "IS-CONFLICTED", "AGE"], exports.Headers);
        Assert.Equal(["kuard", "True", "False"], exports.Rows.Single().Values.Take(3));
        Assert.Equal("networking.fleet.azure.com/v1beta1", await Kubectl(m, "get", "serviceexport", "kuard", "-n", ns, "-o", "jsonpath={.apiVersion}"));
        Assert.Equal("networking.fleet.azure.com/v1alpha1",
            await Kubectl(m, "get", "serviceexports.v1alpha1.networking.fleet.azure.com", "kuard", "-n", ns, "-o", "jsonpath={.apiVersion}"));
        Assert.Equal("True", await Kubectl(m, "get", "serviceexports.v1alpha1.networking.fleet.azure.com", "kuard", "-n", ns,
            "-o", "jsonpath={.status.conditions[?(@.type=='Valid')].status}"));

        var imports = TableText.Parse(await Kubectl(m, "get", "serviceimport", "-n", ns));
        Assert.Equal(["NAME", "AGE"], imports.Headers);
        Assert.Equal("kuard", imports.Rows.Single()["NAME"]);
    }

    private async Task<string> Kubectl(MemberHarness m, params string[] args)
    {
        var result = await ProcessRunner.Run("kubectl", ["--kubeconfig", m.Kubeconfig, "--cache-dir", Path.Combine(fixture.WorkDir, "kubectl-cache"), .. args]);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(" ", args)}: {result}");
        return result.Stdout;
    }
}
