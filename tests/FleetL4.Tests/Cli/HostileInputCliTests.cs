using System.Text;
using FleetL4.Client;
using FleetL4.Models;
using FleetL4.Tests.Hosting;
using FleetL4.Tests.Infrastructure;
using FleetL4.Tests.Members;
using Xunit.Abstractions;

namespace FleetL4.Tests.Cli;

/// <summary>
/// Hostile manifests through the real `fleetl4 apply` against a hub process: a one-line error and exit 1 (or an
/// apply and exit 0), never a stack trace, and a refused file leaves the cluster's stored objects as they were.
/// </summary>
public sealed class HostileInputCliTests(ITestOutputHelper output) : IAsyncLifetime
{
    private HubProcess _hub = null!;
    private readonly string _files = Directory.CreateTempSubdirectory("fleetl4-hostile-").FullName;

    public async Task InitializeAsync() => _hub = await HubProcess.StartAsync();

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        Directory.Delete(_files, recursive: true);
    }

    private string File(string name, byte[] bytes)
    {
        var path = Path.Combine(_files, name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The CLI with at most 512 MiB of GC heap, as the issue asks: a bomb must not need more.</summary>
    private Task<ProcessRunner.Result> ApplyUnderHeapLimit(string file, string cluster) =>
        ProcessRunner.Run("dotnet", [CliRunner.CliPath(), "--hub", _hub.ApiUrl, "apply", "-f", file, "--cluster", cluster], null,
            new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x20000000" });

    private static void AssertOneLineError(ProcessRunner.Result result, string because)
    {
        Assert.True(result.ExitCode == 1, $"{because}: {result}");
        var lines = result.Stderr.Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines is [var line] && (line.StartsWith("error: ") || line.StartsWith("Error from server (")) && !line.Contains("internal error"),
            $"{because}: not one clear error line: {result}");
    }

    [Fact]
    public async Task Bombs_and_broken_files_under_a_512_MiB_heap_end_in_one_error_line_fast_and_store_nothing()
    {
        using var fleet = _hub.Client();
        await fleet.JoinClusterAsync("bombed", isVirtual: true);
        const string head = "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: hostile, namespace: default }\n";
        var inputs = new (string Name, byte[] Bytes, string Expected)[]
        {
            ("alias-bomb.yaml", Encoding.UTF8.GetBytes(ManifestCorpusTests.AliasBomb(7)), "aliases expand to more than 10000 nodes"),
            ("self-alias.yaml", Encoding.UTF8.GetBytes(head + "data: &r [*r]\n"), "alias *r refers to the node that contains it"),
            ("deep.yaml", Encoding.UTF8.GetBytes(head + "data: " + new string('[', 100_000) + new string(']', 100_000) + "\n"), "nests deeper than 64 levels"),
            ("unterminated.json", "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"x\"}"u8.ToArray(), "invalid YAML"),
            ("latin1.yaml", [.. Encoding.UTF8.GetBytes(head + "data: { x: caf"), 0xE9, .. " }\n"u8], "is not valid UTF-8"),
            ("50mb.yaml", Encoding.UTF8.GetBytes(head + "data:\n  big: " + new string('x', 50_000_000) + "\n"), "is larger than 3145728 bytes"),
        };
        foreach (var (name, bytes, expected) in inputs)
        {
            var result = await ApplyUnderHeapLimit(File(name, bytes), "bombed");
            AssertOneLineError(result, name);
            Assert.Contains(expected, result.Stderr);
            Assert.True(result.Elapsed < TimeSpan.FromSeconds(20), $"{name} took {result.Elapsed}");
            output.WriteLine($"{name}: {result.Elapsed.TotalSeconds:F1} s: {result.Stderr.Trim()}");
        }
        Assert.Empty(await fleet.ListManifestsAsync("bombed"));
    }

    private static string Snapshot(IEnumerable<ManifestObject> objects) =>
        string.Join("\n", objects.OrderBy(o => (o.Kind, o.Namespace, o.Name)).Select(o => $"{o.ApiVersion} {o.Kind} {o.Namespace}/{o.Name} {o.Json}"));

    /// <summary>Each worker applies to its own virtual cluster, so "unchanged" is exact. 200 inputs, each a CLI process
    /// (about 0.3 s on an idle 2-core machine, 0.8 s under four parallel builds).</summary>
    private const int PerWorker = 100;

    private const int Workers = 2;

    [Fact]
    public async Task Two_hundred_fuzzed_manifests_through_fleetl4_apply_end_applied_or_in_one_error_line_and_a_refusal_changes_nothing()
    {
        var inputs = new ManifestFuzzer(413).Inputs(PerWorker * Workers).ToList();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Worker($"fuzzed-{w}", inputs.Where(i => i.Index % Workers == w))));
        output.WriteLine($"{inputs.Count} inputs through the CLI: {outcomes.Sum(o => o.Applied)} applied, {outcomes.Sum(o => o.Refused)} refused");
        Assert.True(outcomes.Sum(o => o.Applied) > 20, "fewer than 20 inputs were applied: the fuzzer tests little");
        Assert.True(outcomes.Sum(o => o.Refused) > 50, "fewer than 50 inputs were refused: the fuzzer tests little");
    }

    private async Task<(int Applied, int Refused)> Worker(string cluster, IEnumerable<ManifestFuzzer.Input> inputs)
    {
        using var fleet = _hub.Client();
        await fleet.JoinClusterAsync(cluster, isVirtual: true);
        var (applied, refused) = (0, 0);
        foreach (var input in inputs)
        {
            var before = Snapshot(await fleet.ListManifestsAsync(cluster));
            var result = await CliRunner.Run(_hub.ApiUrl, null, "apply", "-f", File($"{cluster}-{input.Index}.yaml", input.Bytes), "--cluster", cluster);
            Assert.False(result.Stderr.Contains("Unhandled exception") || result.Stderr.Contains("   at "), $"{input}\n{result}");
            if (result.ExitCode == 0)
            {
                applied++;
                continue;
            }
            AssertOneLineError(result, input.ToString());
            Assert.True(before == Snapshot(await fleet.ListManifestsAsync(cluster)), $"a refused file changed what {cluster} stores: {input}\n{result}");
            refused++;
        }
        return (applied, refused);
    }
}
