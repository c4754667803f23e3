using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FleetL4.Tests.Cli;
using FleetL4.Tests.Infrastructure;
using Google.Protobuf;

namespace FleetL4.Tests.Kubernetes;

/// <summary>The fake member API server speaks what a client of a real one relies on: server-side apply,
/// cluster-scoped kinds, a Namespace's deletion taking its objects along, real kubectl apply, and the protobuf
/// body of kubectl create namespace.</summary>
public sealed class FakeApiServerTests : IAsyncLifetime
{
    private readonly FakeKubernetesApiServer _api = new();
    private readonly HttpClient _http = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("fleetl4-fakekube-").FullName;

    public async Task InitializeAsync() => await _api.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _api.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private const string DeploymentPath = "/apis/apps/v1/namespaces/ssa/deployments/web";

    private static string Deployment(int replicas, string extraLabel = "") => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: ssa
          labels: {"{"} app: web{extraLabel} {"}"}
        spec:
          replicas: {replicas}
        """;

    [Fact]
    public async Task Server_side_apply_creates_then_merges_the_applied_fields()
    {
        var (created, first) = await Apply(DeploymentPath, Deployment(2), "fieldManager=fleetl4&force=true");
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(1, first["metadata"]!["generation"]!.GetValue<long>());

        // Someone else's label stays (the fake merges; the agent applies whole objects).
        _api.Store.Patch(FakeApiStore.ForKind("apps/v1", "Deployment"), "ssa", "web", JsonNode.Parse("""{"metadata":{"labels":{"team":"x"}}}""")!.AsObject(), status: false);
        var (updated, second) = await Apply(DeploymentPath, Deployment(3, ", tier: front"), "fieldManager=fleetl4");
        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.Equal(3, second["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(2, second["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal(first["metadata"]!["uid"]!.GetValue<string>(), second["metadata"]!["uid"]!.GetValue<string>());
        var labels = _api.Get("deployments", "ssa", "web")!["metadata"]!["labels"]!.AsObject();
        Assert.Equal(["app", "team", "tier"], labels.Select(l => l.Key).Order());

        // The same apply again writes nothing.
        var version = _api.Store.ResourceVersion;
        Assert.Equal(HttpStatusCode.OK, (await Apply(DeploymentPath, Deployment(3, ", tier: front"), "fieldManager=fleetl4")).Code);
        Assert.Equal(version, _api.Store.ResourceVersion);
    }

    [Fact]
    public async Task Server_side_apply_takes_JSON_and_refuses_what_the_API_server_refuses()
    {
        var json = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},"data":{"a":"1"}}""";
        Assert.Equal(HttpStatusCode.Created, (await Apply("/api/v1/namespaces/ssa/configmaps/settings", json, "fieldManager=fleetl4")).Code);
        Assert.Equal("1", _api.Get("configmaps", "ssa", "settings")!["data"]!["a"]!.GetValue<string>());

        var (code, status) = await Apply("/api/v1/namespaces/ssa/configmaps/settings", json, "");
        Assert.Equal((HttpStatusCode)422, code);
        Assert.Equal("Invalid", status["reason"]!.GetValue<string>());
        Assert.Contains("fieldManager: Required value", status["message"]!.GetValue<string>());

        var (wrongName, message) = await Apply("/api/v1/namespaces/ssa/configmaps/other", json, "fieldManager=fleetl4");
        Assert.Equal(HttpStatusCode.BadRequest, wrongName);
        Assert.Contains("does not match the name on the URL", message["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await Apply(DeploymentPath, json, "fieldManager=fleetl4")).Code);
        Assert.Null(_api.Get("configmaps", "ssa", "other"));
    }

    [Fact]
    public async Task Cluster_scoped_kinds_have_no_namespace_in_discovery_URLs_or_objects_and_are_listed_and_watched()
    {
        var discovery = await Json("/api/v1");
        var namespaces = discovery["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "namespaces")!;
        Assert.False(namespaces["namespaced"]!.GetValue<bool>());
        Assert.Equal("ns", namespaces["shortNames"]![0]!.GetValue<string>());
        var placements = (await Json("/apis/placement.kubernetes-fleet.io/v1"))["resources"]!.AsArray();
        Assert.False(placements.Single(r => r!["name"]!.GetValue<string>() == "clusterresourceplacements")!["namespaced"]!.GetValue<bool>());
        Assert.Contains(placements, r => r!["name"]!.GetValue<string>() == "clusterresourceplacements/status");

        var version = (await Json("/api/v1/namespaces"))["metadata"]!["resourceVersion"]!.GetValue<string>();
        using var watch = await _http.GetStreamAsync($"{_api.Url}/api/v1/namespaces?watch=true&resourceVersion={version}");
        using var events = new StreamReader(watch);
        Assert.Equal(HttpStatusCode.Created, (await Apply("/api/v1/namespaces/team-a", "{apiVersion: v1, kind: Namespace, metadata: {name: team-a}}", "fieldManager=t")).Code);
        var added = await NextEvent(events);
        Assert.Equal("ADDED", added["type"]!.GetValue<string>());
        Assert.Equal("team-a", added["object"]!["metadata"]!["name"]!.GetValue<string>());
        Assert.Null(added["object"]!["metadata"]!["namespace"]);
        Assert.Equal("Active", added["object"]!["status"]!["phase"]!.GetValue<string>());

        var crp = """{"apiVersion":"placement.kubernetes-fleet.io/v1","kind":"ClusterResourcePlacement","metadata":{"name":"team-a"},"spec":{"resourceSelectors":[]}}""";
        Assert.Equal(HttpStatusCode.Created, (await Apply("/apis/placement.kubernetes-fleet.io/v1/clusterresourceplacements/team-a", crp, "fieldManager=t")).Code);
        var list = await Json("/apis/placement.kubernetes-fleet.io/v1/clusterresourceplacements");
        Assert.Equal("team-a", Assert.Single(list["items"]!.AsArray())!["metadata"]!["name"]!.GetValue<string>());
        // There is no URL for a cluster-scoped kind in a namespace; the object itself is there.
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"{_api.Url}/apis/placement.kubernetes-fleet.io/v1/namespaces/team-a/clusterresourceplacements/team-a")).StatusCode);
        Assert.Equal("team-a", (await Json("/api/v1/namespaces/team-a"))["metadata"]!["name"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await _http.DeleteAsync($"{_api.Url}/apis/placement.kubernetes-fleet.io/v1/clusterresourceplacements/team-a")).StatusCode);
        Assert.Null(_api.Get("clusterresourceplacements", null, "team-a"));
    }

    [Fact]
    public async Task Deleting_a_Namespace_deletes_everything_in_it_with_an_event_for_each()
    {
        _api.ApplyYaml("""
            apiVersion: v1
            kind: Namespace
            metadata: { name: doomed }
            ---
            apiVersion: v1
            kind: Namespace
            metadata: { name: kept }
            """);
        _api.ApplyYaml(MemberHarness.Workload("doomed") + "\n---\n" + MemberHarness.Workload("kept"));
        _api.ApplyYaml(Deployment(1).Replace("namespace: ssa", "namespace: doomed"));
        var version = _api.Store.ResourceVersion;
        using var watch = await _http.GetStreamAsync($"{_api.Url}/api/v1/services?watch=true&resourceVersion={version}");
        using var events = new StreamReader(watch);

        Assert.Equal(HttpStatusCode.OK, (await _http.DeleteAsync($"{_api.Url}/api/v1/namespaces/doomed")).StatusCode);

        Assert.Null(_api.Get("namespaces", null, "doomed"));
        Assert.Null(_api.Get("services", "doomed", "kuard"));
        Assert.Null(_api.Get("serviceexports", "doomed", "kuard"));
        Assert.Null(_api.Get("deployments", "doomed", "web"));
        Assert.NotNull(_api.Get("services", "kept", "kuard"));
        Assert.NotNull(_api.Get("serviceexports", "kept", "kuard"));
        var deleted = await NextEvent(events);
        Assert.Equal("DELETED", deleted["type"]!.GetValue<string>());
        Assert.Equal("doomed", deleted["object"]!["metadata"]!["namespace"]!.GetValue<string>());
    }

    [Fact]
    public async Task Kubectl_applies_a_namespace_with_its_workload_and_lists_them()
    {
        const string manifest = """
            apiVersion: v1
            kind: Namespace
            metadata: { name: kuard-demo }
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: kuard, namespace: kuard-demo }
            spec:
              replicas: 2
              selector: { matchLabels: { app: kuard } }
              template:
                metadata: { labels: { app: kuard } }
                spec:
                  containers: [{ name: kuard, image: "gcr.io/kuar-demo/kuard-amd64:blue" }]
            ---
            apiVersion: v1
            kind: Service
            metadata: { name: kuard, namespace: kuard-demo }
            spec:
              ports: [{ port: 8080 }]
              selector: { app: kuard }
            ---
            apiVersion: networking.fleet.azure.com/v1alpha1
            kind: ServiceExport
            metadata: { name: kuard, namespace: kuard-demo }
            """;
        var file = Path.Combine(_dir, "kuard.yaml");
        await File.WriteAllTextAsync(file, manifest);
        var applied = await Kubectl("apply", "-f", file);
        Assert.Equal(["namespace/kuard-demo created", "deployment.apps/kuard created", "service/kuard created",
            "serviceexport.networking.fleet.azure.com/kuard created"], applied.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var namespaces = TableText.Parse(await Kubectl("get", "ns"));
        Assert.Equal(["NAME", "STATUS", "AGE"], namespaces.Headers);
        Assert.Equal("Active", namespaces.Rows.Single(r => r["NAME"] == "kuard-demo")["STATUS"]);
        Assert.Equal("kuard", TableText.Parse(await Kubectl("get", "deploy", "-n", "kuard-demo")).Rows.Single()["NAME"]);

        // Applied again with a change: a strategic merge patch for the Service and the Deployment.
        await File.WriteAllTextAsync(file, manifest.Replace("port: 8080", "port: 8081").Replace("replicas: 2", "replicas: 3"));
        var again = await Kubectl("apply", "-f", file);
        Assert.Contains("service/kuard configured", again);
        Assert.Contains("serviceexport.networking.fleet.azure.com/kuard unchanged", again);
        Assert.Equal("""[{"port":8081}]""", await Kubectl("get", "svc", "kuard", "-n", "kuard-demo", "-o", "jsonpath={.spec.ports}"));
        Assert.Equal("3", await Kubectl("get", "deploy", "kuard", "-n", "kuard-demo", "-o", "jsonpath={.spec.replicas}"));
    }

    [Fact]
    public async Task Kubectl_create_namespace_sends_protobuf_and_a_second_create_is_AlreadyExists()
    {
        Assert.Equal("namespace/kuard-demo created", (await Kubectl("create", "namespace", "kuard-demo")).Trim());
        Assert.Equal(1, _api.RequestCounts()["POST namespaces"]);
        var stored = _api.Get("namespaces", null, "kuard-demo")!;
        Assert.Equal("kuard-demo", stored["metadata"]!["labels"]!["kubernetes.io/metadata.name"]!.GetValue<string>());

        var table = TableText.Parse(await Kubectl("get", "ns", "kuard-demo"));
        Assert.Equal(["NAME", "STATUS", "AGE"], table.Headers);
        Assert.Equal("Active", table.Rows.Single()["STATUS"]);

        var again = await RunKubectl("create", "namespace", "kuard-demo");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Equal("Error from server (AlreadyExists): namespaces \"kuard-demo\" already exists", again.Stderr.Trim());
    }

    [Fact]
    public async Task A_protobuf_Namespace_is_read_with_its_labels_and_annotations_and_other_protobuf_kinds_are_415()
    {
        // ObjectMeta with fields the fake does not read (generation, creationTimestamp, fixed32/fixed64 fields) between those it does.
        var meta = Protobuf(o =>
        {
            Text(o, 1, "proto-ns");
            o.WriteTag(7, WireFormat.WireType.Varint); o.WriteInt64(5);
            Bytes(o, 8, Protobuf(t => { t.WriteTag(1, WireFormat.WireType.Varint); t.WriteInt64(1_700_000_000); }));
            Bytes(o, 11, Protobuf(e => { Text(e, 1, "team"); Text(e, 2, "a"); }));
            o.WriteTag(99, WireFormat.WireType.Fixed32); o.WriteFixed32(7);
            Bytes(o, 11, Protobuf(e => { Text(e, 1, "tier"); Text(e, 2, "front"); }));
            o.WriteTag(100, WireFormat.WireType.Fixed64); o.WriteFixed64(8);
            Bytes(o, 12, Protobuf(e => { Text(e, 1, "note"); Text(e, 2, "hi"); }));
        });
        var ns = Protobuf(o => { Bytes(o, 1, meta); Bytes(o, 2, Protobuf(s => Text(s, 1, "kubernetes"))); Bytes(o, 3, Protobuf(s => Text(s, 1, "Terminating"))); });
        var (created, body) = await SendProtobuf(HttpMethod.Post, "/api/v1/namespaces", Envelope("v1", "Namespace", ns));
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("proto-ns", body["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("Active", body["status"]!["phase"]!.GetValue<string>());
        var labels = _api.Get("namespaces", null, "proto-ns")!["metadata"]!["labels"]!.AsObject();
        Assert.Equal(["kubernetes.io/metadata.name=proto-ns", "team=a", "tier=front"], labels.Select(l => $"{l.Key}={l.Value}").Order());
        Assert.Equal("hi", body["metadata"]!["annotations"]!["note"]!.GetValue<string>());

        // PUT in protobuf: the resourceVersion is read, so a stale one is a conflict.
        var version = body["metadata"]!["resourceVersion"]!.GetValue<string>();
        byte[] Replacement(string rv) => Envelope("v1", "Namespace", Protobuf(o => Bytes(o, 1, Protobuf(m =>
        {
            Text(m, 1, "proto-ns"); Text(m, 6, rv); Bytes(m, 11, Protobuf(e => { Text(e, 1, "team"); Text(e, 2, "b"); }));
        }))));
        var (replaced, updated) = await SendProtobuf(HttpMethod.Put, "/api/v1/namespaces/proto-ns", Replacement(version));
        Assert.Equal(HttpStatusCode.OK, replaced);
        Assert.Equal("b", updated["metadata"]!["labels"]!["team"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await SendProtobuf(HttpMethod.Put, "/api/v1/namespaces/proto-ns", Replacement(version))).Code);

        var configMap = Envelope("v1", "ConfigMap", Protobuf(o => Bytes(o, 1, Protobuf(m => Text(m, 1, "settings")))));
        var (unsupported, status) = await SendProtobuf(HttpMethod.Post, "/api/v1/namespaces/proto-ns/configmaps", configMap);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported);
        Assert.Equal("UnsupportedMediaType", status["reason"]!.GetValue<string>());
        Assert.Contains("application/vnd.kubernetes.protobuf for v1 Namespaces only, not configmaps", status["message"]!.GetValue<string>());
        Assert.Null(_api.Get("configmaps", "proto-ns", "settings"));

        var (noMagic, refused) = await SendProtobuf(HttpMethod.Post, "/api/v1/namespaces", ns);
        Assert.Equal(HttpStatusCode.BadRequest, noMagic);
        Assert.Contains("magic", refused["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await SendProtobuf(HttpMethod.Post, "/api/v1/namespaces", Envelope("v1", "ConfigMap", ns))).Code);
    }

    /// <summary>The API server's protobuf envelope: "k8s\0" and runtime.Unknown {1: TypeMeta, 2: raw, 3: contentEncoding, 4: contentType}.</summary>
    private static byte[] Envelope(string apiVersion, string kind, byte[] raw) =>
    [
        .. "k8s\0"u8,
        .. Protobuf(o => { Bytes(o, 1, Protobuf(t => { Text(t, 1, apiVersion); Text(t, 2, kind); })); Bytes(o, 2, raw); Text(o, 3, ""); Text(o, 4, ""); }),
    ];

    private static byte[] Protobuf(Action<CodedOutputStream> write)
    {
        using var bytes = new MemoryStream();
        using (var output = new CodedOutputStream(bytes, leaveOpen: true)) write(output);
        return bytes.ToArray();
    }

    private static void Text(CodedOutputStream o, int field, string value)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteString(value);
    }

    private static void Bytes(CodedOutputStream o, int field, byte[] value)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(ByteString.CopyFrom(value));
    }

    private async Task<(HttpStatusCode Code, JsonObject Body)> SendProtobuf(HttpMethod method, string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");
        using var request = new HttpRequestMessage(method, _api.Url + path) { Content = content };
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private async Task<(HttpStatusCode Code, JsonObject Body)> Apply(string path, string body, string query)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/apply-patch+yaml");
        using var response = await _http.PatchAsync($"{_api.Url}{path}?{query}", content);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    /// <summary>The next line of a watch stream, within a deadline.</summary>
    private static async Task<JsonNode> NextEvent(StreamReader events)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return JsonNode.Parse((await events.ReadLineAsync(deadline.Token))!)!;
    }

    private async Task<JsonObject> Json(string path) => JsonNode.Parse(await _http.GetStringAsync(_api.Url + path))!.AsObject();

    private Task<ProcessRunner.Result> RunKubectl(params string[] args) =>
        ProcessRunner.Run("kubectl", ["--kubeconfig", _api.WriteKubeconfig(_dir, "fake"), "--cache-dir", Path.Combine(_dir, "kubectl-cache"), .. args]);

    private async Task<string> Kubectl(params string[] args)
    {
        var result = await RunKubectl(args);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(" ", args)}: {result}");
        return result.Stdout;
    }
}
