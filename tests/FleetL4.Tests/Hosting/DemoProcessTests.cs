using System.Net.Sockets;
using System.Text.RegularExpressions;
using FleetL4.Tests.Cli;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Hosting;

/// <summary>
/// The --demo walkthrough as a process, its pods and frontend pool in blocks reserved for this test run, so it runs
/// beside a user's own --demo hub; when its addresses are taken it says which, and which setting moves it.
/// </summary>
public sealed partial class DemoProcessTests
{
    [Fact]
    public async Task The_demo_walks_through_the_seed_and_real_requests_reach_both_eastus_clusters()
    {
        var pods = LoopbackBlock.Reserve();
        await using var hub = await HubProcess.StartAsync("--demo", $"--Demo:PodNetwork={pods.Cidr}");
        await Eventually.True(() => hub.Output.Contains("Ctrl+C stops the hub."), "walkthrough finished", TimeSpan.FromSeconds(60));
        var lines = hub.Output.Split(Environment.NewLine);
        var frontend = hub.FrontendPool.Address(1);
        // Pod i of aks-member-n is host 10n+i of the pod network.
        var podAddress = new Dictionary<string, string>
        {
            ["kuard-1-1"] = pods.Address(11), ["kuard-1-2"] = pods.Address(12), ["kuard-2-1"] = pods.Address(21), ["kuard-2-2"] = pods.Address(22),
        };
        Assert.Equal(podAddress.Select(p => $"  aks-member-{p.Key[6]}: pod {p.Key} serving http://{p.Value}:8080/"),
            lines.Where(l => l.Contains(": pod kuard-", StringComparison.Ordinal)));

        // As in the seed: kuard goes to the hub, crp-2.yaml places it on the eastus members only.
        Assert.Contains("  clusterresourceplacement.placement.kubernetes-fleet.io/kuard-demo created", lines);
        var crp = TableText.Parse(string.Join('\n', lines.SkipWhile(l => !l.Contains("$ fleetl4 get clusterresourceplacements", StringComparison.Ordinal)).Skip(1).Take(2)));
        Assert.Equal(["NAME", "GEN", "SCHEDULED", "SCHEDULEDGEN", "APPLIED", "APPLIEDGEN", "AGE"], crp.Headers);
        Assert.Equal(["kuard-demo", "1", "True", "1", "True", "1"], crp.Rows.Single().Values.Take(6));
        Assert.Contains("  [aks-member-1] namespace/kuard-demo, deployment/kuard, service/kuard, serviceexport/kuard", lines);
        Assert.Contains("  [aks-member-2] namespace/kuard-demo, deployment/kuard, service/kuard, serviceexport/kuard", lines);
        Assert.Contains("  [aks-member-3] nothing placed", lines);

        var mcs = TableText.Parse(string.Join('\n', lines.SkipWhile(l => !l.Contains("$ fleetl4 get multiclusterservice", StringComparison.Ordinal)).Skip(1).Take(2)));
        Assert.Equal(["NAME", "SERVICE-IMPORT", "EXTERNAL-IP", "IS-VALID", "AGE"], mcs.Headers);
        Assert.Equal(["kuard", "kuard", frontend, "True"], mcs.Rows.Single().Values.Take(4));
        Assert.Contains($"==> Ten requests to http://{frontend}:8080/ (a new connection each): answers come from both eastus clusters", lines);

        // Each answer names the pod that served it: one of this demo's own pods, at its own address (a pod of another
        // demo on the machine would show an address outside the reserved block).
        var requests = lines.Select(l => RequestLine().Match(l)).Where(m => m.Success).ToList();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), requests.Select(m => m.Groups["n"].Value));
        foreach (var m in requests)
        {
            Assert.Equal(podAddress[m.Groups["pod"].Value], m.Groups["addrs"].Value);
            Assert.Equal($"aks-member-{m.Groups["pod"].Value[6]}", m.Groups["cluster"].Value);
        }
        Assert.Contains("  answered by 2 cluster(s): aks-member-1, aks-member-2", lines);

        // The frontend keeps serving after the walkthrough.
        using var http = new HttpClient();
        var page = await http.GetStringAsync($"http://{frontend}:8080/");
        Assert.Contains(page.Split('\n').Single(l => l.StartsWith("addrs: ", StringComparison.Ordinal)), podAddress.Values.Select(a => $"addrs: [{a}]"));

        Assert.Equal(0, await hub.TerminateAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_demo_whose_pod_address_is_taken_says_which_and_the_setting_that_moves_the_pods()
    {
        var pods = LoopbackBlock.Reserve();
        using var squatter = new TcpListener(pods.IP(11), 8080);
        squatter.Start();
        var result = await HubProcess.RunToExitAsync("--demo", $"--Demo:PodNetwork={pods.Cidr}");
        Assert.Equal(1, result.ExitCode);
        Assert.Matches($@"^error: pod kuard-1-1's address {Regex.Escape(pods.Address(11))}:8080 is taken \(.*address already in use.*\); is another FleetL4 demo running\? "
            + @"Stop it, or set Demo:PodNetwork to another block of 127\.0\.0\.0/8, e\.g\. --Demo:PodNetwork=127\.0\.71\.0/24$", result.Stderr.Trim());
    }

    [Fact]
    public async Task A_demo_whose_frontend_is_taken_says_which_and_the_setting_that_moves_the_frontends()
    {
        var (pods, frontends) = (LoopbackBlock.Reserve(), LoopbackBlock.Reserve());
        // Like another hub's frontend: ReuseAddress (SO_REUSEPORT on Linux) would let the demo's frontend bind beside it
        // and the two would split the traffic without a word.
        using var squatter = new TcpListener(frontends.IP(1), 8080);
        squatter.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        squatter.Start();
        var result = await HubProcess.RunToExitAsync("--demo", $"--Demo:PodNetwork={pods.Cidr}", $"--FleetL4:FrontendPool={frontends.Cidr}");
        Assert.Equal(1, result.ExitCode);
        Assert.Matches($@"^error: the MultiClusterService's frontend {Regex.Escape(frontends.Address(1))}:8080 is taken \(Address already in use\); is another FleetL4 demo running\? "
            + @"Stop it, or set FleetL4:FrontendPool to another block of 127\.0\.0\.0/8, e\.g\. --FleetL4:FrontendPool=127\.0\.101\.0/24$", result.Stderr.Trim());
    }

    [GeneratedRegex(@"^  request\s+(?<n>\d+): 200 from addrs \[(?<addrs>[^\]]+)\] \((?<pod>kuard-\d-\d) in (?<cluster>[\w-]+)\)$")]
    private static partial Regex RequestLine();
}
