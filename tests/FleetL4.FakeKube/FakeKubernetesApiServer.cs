using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FleetL4.FakeKube;

/// <summary>
/// A protocol-level fake of a member cluster's Kubernetes API server on 127.0.0.1, following the API conventions
/// the agent and kubectl rely on: list with resourceVersion, watch replay after a resourceVersion with bookmarks,
/// 410 Gone for a compacted version, timeoutSeconds, 409 on create of an existing object and on a stale update,
/// merge patches on the /status subresource, kind: Status errors, discovery and server-side Table printing; a type
/// served in two versions (ServiceExport v1alpha1 and v1beta1) with one storage; label selectors on list and watch;
/// core/v1 Events; cluster-scoped kinds (Namespace, ClusterResourcePlacement), a Namespace's deletion taking its
/// objects along; server-side apply, and the strategic merge patches and /openapi/v3 that kubectl apply uses;
/// protobuf bodies of Namespaces, as kubectl create namespace sends them (answered in JSON, which kubectl takes).
/// It can go down and come back on the same port with the same objects (<see cref="StopAsync"/>, <see cref="StartAsync"/>).
/// </summary>
public sealed class FakeKubernetesApiServer : IAsyncDisposable
{
    private WebApplication? _app;
    private CancellationTokenSource _stopping = new();
    private int _port;

    public FakeApiStore Store { get; } = new();

    /// <summary>Printer columns per plural, read from our CRDs (name, JSONPath); a kind without them gets the
    /// API server's own columns where a JSONPath can fill them (Namespaces, Deployments), else NAME.</summary>
    public Dictionary<string, IReadOnlyList<(string Name, string JsonPath)>> Columns { get; } = new();

    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>GETs of single objects over HTTP (the agent reads one only after a write conflict).</summary>
    public int ObjectReads;

    private long _requests;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _requestsByKind = new(StringComparer.Ordinal);

    /// <summary>HTTP requests received, of every kind (a watch counts once, when it starts, however long it stays open).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>
    /// A snapshot of <see cref="Requests"/> by kind: "LIST serviceexports", "WATCH services", "GET serviceexports",
    /// "PATCH serviceexports/status", "POST events", "GET discovery", ... (the subtraction of two snapshots is what
    /// happened in between).
    /// </summary>
    public IReadOnlyDictionary<string, long> RequestCounts() => new Dictionary<string, long>(_requestsByKind, StringComparer.Ordinal);

    private void Counted(string kind)
    {
        Interlocked.Increment(ref _requests);
        _requestsByKind.AddOrUpdate(kind, 1, static (_, n) => n + 1);
    }

    /// <summary>How long a list of a kind (by plural) takes to answer, e.g. to show what a client does before it has all kinds.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, TimeSpan> ListDelays { get; } = new();

    /// <summary>How long each /status PATCH takes (an API server's latency), so that parallel writers show.</summary>
    public TimeSpan StatusPatchDelay { get; set; }

    /// <summary>How long each server-side apply takes (a slow API server), so that what arrives meanwhile shows.</summary>
    public TimeSpan ApplyDelay { get; set; }

    /// <summary>The next N server-side applies fail with 500 InternalError, as while etcd is briefly unavailable.</summary>
    public int FailNextApplies;

    /// <summary>The most /status PATCHes in flight at once, and when each arrived.</summary>
    public int MaxStatusPatchesInFlight => Volatile.Read(ref _maxInFlight);
    public IReadOnlyList<DateTime> StatusPatchTimes { get { lock (_patchTimes) return [.. _patchTimes]; } }
    private readonly List<DateTime> _patchTimes = [];
    private int _inFlight;
    private int _maxInFlight;

    public string Url => $"http://127.0.0.1:{_port}";

    public async Task StartAsync()
    {
        _stopping = new CancellationTokenSource();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, _port));
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(1));
        var app = builder.Build();
        app.Run(Handle);
        await app.StartAsync();
        _port = new Uri(app.Urls.First()).Port;
        _app = app;
    }

    /// <summary>The API server goes away: connections are refused until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        Store.DropWatches();
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>A kubeconfig for this server, for KubernetesClient and kubectl.</summary>
    public string WriteKubeconfig(string directory, string name)
    {
        var path = Path.Combine(directory, $"{name}.kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: {name}
                cluster: {"{"} server: "{Url}" {"}"}
            users:
              - name: {name}
                user: {"{"} token: {name}-token {"}"}
            contexts:
              - name: {name}
                context: {"{"} cluster: {name}, user: {name} {"}"}
            current-context: {name}
            """);
        return path;
    }

    // kubectl-style apply for test setup
    public JsonObject Apply(JsonObject obj)
    {
        var r = FakeApiStore.ForKind(obj["apiVersion"]!.GetValue<string>(), obj["kind"]!.GetValue<string>());
        var meta = obj["metadata"]!.AsObject();
        var ns = r.Namespaced ? meta["namespace"]?.GetValue<string>() ?? "default" : null;
        var existing = Store.Get(r, ns, meta["name"]!.GetValue<string>());
        meta.Remove("resourceVersion");
        var (code, result) = Store.Write(r, ns, obj, create: existing is null);
        return code < 300 ? result : throw new InvalidOperationException(result.ToJsonString());
    }

    /// <summary>kubectl apply of a YAML manifest (one or more documents).</summary>
    public void ApplyYaml(string yaml)
    {
        foreach (var o in FleetL4.Members.ManifestReader.Read(yaml, "test")) Apply(JsonNode.Parse(o.Json)!.AsObject());
    }

    /// <param name="ns">The namespace; null for a cluster-scoped type.</param>
    public JsonObject? Get(string plural, string? ns, string name) => Store.Get(Stored(plural), ns, name);

    /// <summary>Every object of a type in a namespace (in its storage version).</summary>
    public IReadOnlyList<JsonObject> List(string plural, string? ns) => Store.List(Stored(plural), ns).Items;

    public bool Delete(string plural, string? ns, string name) => Store.Delete(Stored(plural), ns, name);

    /// <summary>How many objects of a type (all namespaces) match; cheap enough to poll (see <see cref="FakeApiStore.Count"/>).</summary>
    public int Count(string plural, Func<JsonObject, bool> predicate) => Store.Count(Stored(plural), predicate);

    private static FakeResource Stored(string plural) => FakeApiStore.Resources.First(r => r.Plural == plural && r.Storage);

    private async Task Handle(HttpContext http)
    {
        var path = http.Request.Path.Value!.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            var (resource, ns, name, status) = Route(path);
            Counted(Describe(http.Request, resource, name, status));
            if (await Discovery(http, path)) return;
            if (resource is null) { await Send(http, 404, FakeApiStore.Status(404, "NotFound", "the server could not find the requested resource")); return; }
            switch (http.Request.Method)
            {
                case "GET" when name is null && http.Request.Query["watch"] is var w && (w == "true" || w == "1"):
                    await Watch(http, resource, ns);
                    break;
                case "GET" when name is null:
                    if (ListDelays.TryGetValue(resource.Plural, out var slow)) await Task.Delay(slow, http.RequestAborted);
                    var (items, rv) = Store.List(resource, ns, http.Request.Query["labelSelector"]);
                    if (WantsTable(http)) await Send(http, 200, Table(resource, items, rv));
                    else await Send(http, 200, new JsonObject
                    {
                        ["kind"] = resource.Kind + "List",
                        ["apiVersion"] = resource.ApiVersion,
                        ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) },
                        ["items"] = new JsonArray(items.Select(i => (JsonNode?)i).ToArray()),
                    });
                    break;
                case "GET":
                    Interlocked.Increment(ref ObjectReads);
                    var one = Store.Get(resource, ns, name!);
                    if (one is null) await Send(http, 404, FakeApiStore.Status(404, "NotFound", $"{resource.Plural} \"{name}\" not found"));
                    else if (WantsTable(http)) await Send(http, 200, Table(resource, [one], Store.ResourceVersion));
                    else await Send(http, 200, one);
                    break;
                case "POST" or "PUT":
                    var (obj, refused) = await ObjectBody(http, resource);
                    var written = refused ?? Store.Write(resource, ns, obj!, create: http.Request.Method == "POST");
                    await Send(http, written.Code, written.Result);
                    break;
                case "PATCH" when name is null:
                    await Send(http, 405, FakeApiStore.Status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource"));
                    break;
                case "PATCH" when PatchOptionsError(http) is { } invalid:
                    await Send(http, 422, invalid);
                    break;
                case "PATCH" when IsApply(http) && TakeOne(ref FailNextApplies):
                    await Send(http, 500, FakeApiStore.Status(500, "InternalError", "Internal error occurred: etcdserver: request timed out"));
                    break;
                case "PATCH" when IsApply(http):
                    if (ApplyDelay > TimeSpan.Zero) await Task.Delay(ApplyDelay, http.RequestAborted);
                    var (applyCode, applyResult) = ServerSideApply(resource, ns, name!, await new StreamReader(http.Request.Body).ReadToEndAsync(), status);
                    await Send(http, applyCode, applyResult);
                    break;
                case "PATCH":
                    var contentType = http.Request.ContentType ?? "";
                    // kubectl apply of an existing object sends a strategic merge patch for Kubernetes' own kinds.
                    var strategic = contentType.StartsWith("application/strategic-merge-patch+json", StringComparison.Ordinal) && resource.BuiltIn;
                    if (!strategic && !contentType.StartsWith("application/merge-patch+json", StringComparison.Ordinal))
                    {
                        await Send(http, 415, FakeApiStore.Status(415, "UnsupportedMediaType",
                            $"the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/apply-patch+yaml{(resource.BuiltIn ? ", application/strategic-merge-patch+json" : "")}"));
                        break;
                    }
                    var body = (await Body(http))!;
                    if (strategic) body = StrategicMergePatch.ToMergePatch(Store.Get(resource, ns, name!), body);
                    if (status)
                    {
                        lock (_patchTimes) _patchTimes.Add(DateTime.UtcNow);
                        var now = Interlocked.Increment(ref _inFlight);
                        for (int max; now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max;) { }
                        try
                        {
                            if (StatusPatchDelay > TimeSpan.Zero) await Task.Delay(StatusPatchDelay, http.RequestAborted);
                        }
                        finally
                        {
                            Interlocked.Decrement(ref _inFlight);
                        }
                    }
                    var patched = Store.Patch(resource, ns, name!, body, status);
                    await Send(http, patched.Code, patched.Result);
                    break;
                case "DELETE":
                    // What the API server answers for an object deleted at once (no finalizers): Status Success with its name.
                    if (Store.Delete(resource, ns, name!)) await Send(http, 200, new JsonObject
                    {
                        ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success",
                        ["details"] = new JsonObject { ["name"] = name, ["group"] = resource.Group, ["kind"] = resource.Plural },
                    });
                    else await Send(http, 404, FakeApiStore.Status(404, "NotFound", $"{resource.Plural} \"{name}\" not found"));
                    break;
                default:
                    await Send(http, 405, FakeApiStore.Status(405, "MethodNotAllowed", http.Request.Method));
                    break;
            }
        }
        catch (OperationCanceledException)
        {
            // client went away
        }
    }

    private async Task Watch(HttpContext http, FakeResource resource, string? ns)
    {
        var since = long.TryParse(http.Request.Query["resourceVersion"], out var v) ? v : Store.ResourceVersion;
        var timeout = int.TryParse(http.Request.Query["timeoutSeconds"], out var t) ? TimeSpan.FromSeconds(t) : TimeSpan.FromMinutes(30);
        var bookmarks = http.Request.Query["allowWatchBookmarks"] == "true";
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        var reader = Store.Watch(resource, ns, since, out var cancel, http.Request.Query["labelSelector"]);
        if (reader is null)
        {
            // What a real API server sends for a version that is no longer in its history.
            await Line(http, new JsonObject { ["type"] = "ERROR", ["object"] = FakeApiStore.Status(410, "Expired", $"too old resource version: {since}") });
            return;
        }
        // Ends with the request, at timeoutSeconds, or when the server goes down.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _stopping.Token);
        deadline.CancelAfter(timeout);
        try
        {
            await http.Response.Body.FlushAsync(deadline.Token);
            while (true)
            {
                var next = reader.WaitToReadAsync(deadline.Token).AsTask();
                var tick = Task.Delay(BookmarkInterval, deadline.Token);
                if (await Task.WhenAny(next, tick) == tick)
                {
                    if (bookmarks)
                        await Line(http, new JsonObject
                        {
                            ["type"] = "BOOKMARK",
                            ["object"] = new JsonObject
                            {
                                ["kind"] = resource.Kind,
                                ["apiVersion"] = resource.ApiVersion,
                                ["metadata"] = new JsonObject { ["resourceVersion"] = Store.ResourceVersion.ToString(CultureInfo.InvariantCulture) },
                            },
                        }, deadline.Token);
                    continue;
                }
                if (!await next) return; // dropped by the test: the stream ends
                while (reader.TryRead(out var e))
                    await Line(http, new JsonObject { ["type"] = e.Type, ["object"] = e.Object.DeepClone() }, deadline.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds reached or client gone: end the stream normally
        }
        finally
        {
            cancel();
        }
    }

    private async Task<bool> Discovery(HttpContext http, string[] path)
    {
        var p = string.Join('/', path);
        if (p == "version") { await Send(http, 200, new JsonObject { ["major"] = "1", ["minor"] = "32", ["gitVersion"] = "v1.32.0", ["platform"] = "linux/amd64" }); return true; }
        if (p == "api") { await Send(http, 200, new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1"), ["serverAddressByClientCIDRs"] = new JsonArray() }); return true; }
        if (p == "apis")
        {
            var groups = FakeApiStore.Resources.Where(r => r.Group.Length > 0).GroupBy(r => r.Group).Select(g =>
            {
                // As the API server: versions by Kubernetes version priority (v1 > v1beta1 > v1alpha1), the first preferred.
                var versions = g.Select(r => r.Version).Distinct().OrderByDescending(VersionPriority).ToArray();
                return (JsonNode?)new JsonObject
                {
                    ["name"] = g.Key,
                    ["versions"] = new JsonArray(versions.Select(v => (JsonNode?)new JsonObject { ["groupVersion"] = $"{g.Key}/{v}", ["version"] = v }).ToArray()),
                    ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{g.Key}/{versions[0]}", ["version"] = versions[0] },
                };
            }).ToArray();
            await Send(http, 200, new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = new JsonArray(groups) });
            return true;
        }
        if (p == "openapi/v3") { await Send(http, 200, OpenApi.Root()); return true; }
        if (p.StartsWith("openapi/v3/", StringComparison.Ordinal) && OpenApi.GroupVersion(p["openapi/v3/".Length..]) is { } spec) { await Send(http, 200, spec); return true; }
        string? groupVersion = p == "api/v1" ? "v1" : path.Length == 3 && path[0] == "apis" ? $"{path[1]}/{path[2]}" : null;
        if (groupVersion is null) return false;
        var resources = FakeApiStore.Resources.Where(r => r.ApiVersion == groupVersion).SelectMany(r => new[]
        {
            (JsonNode?)new JsonObject
            {
                ["name"] = r.Plural, ["singularName"] = r.Singular, ["namespaced"] = r.Namespaced, ["kind"] = r.Kind,
                ["verbs"] = new JsonArray("get", "list", "watch", "create", "update", "patch", "delete"),
                ["shortNames"] = new JsonArray(r.ShortNames.Select(s => (JsonNode?)s).ToArray()),
                ["categories"] = new JsonArray((r.Categories ?? []).Select(c => (JsonNode?)c).ToArray()),
            },
            r.HasStatus
                ? new JsonObject { ["name"] = r.Plural + "/status", ["singularName"] = "", ["namespaced"] = r.Namespaced, ["kind"] = r.Kind, ["verbs"] = new JsonArray("get", "patch", "update") }
                : null,
        }).Where(r => r is not null).ToArray();
        await Send(http, 200, new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = groupVersion, ["resources"] = new JsonArray(resources) });
        return true;
    }

    /// <summary>Takes one from a count of injected failures; false when none are left.</summary>
    private static bool TakeOne(ref int count)
    {
        for (var n = Volatile.Read(ref count); n > 0; n = Volatile.Read(ref count))
            if (Interlocked.CompareExchange(ref count, n - 1, n) == n) return true;
        return false;
    }

    private static bool IsApply(HttpContext http) => (http.Request.ContentType ?? "").StartsWith("application/apply-patch+yaml", StringComparison.Ordinal);

    /// <summary>What the API server's PatchOptions validation refuses (422 Invalid): an apply without a field
    /// manager, or force on any other patch.</summary>
    private static JsonObject? PatchOptionsError(HttpContext http)
    {
        var apply = IsApply(http);
        var error = apply && string.IsNullOrEmpty(http.Request.Query["fieldManager"]) ? "fieldManager: Required value: is required for apply patch"
            : !apply && http.Request.Query.ContainsKey("force") ? "force: Forbidden: may not be specified for non-apply patch"
            : null;
        return error is null ? null : FakeApiStore.Status(422, "Invalid", $"PatchOptions.meta.k8s.io \"\" is invalid: {error}");
    }

    /// <summary>PATCH application/apply-patch+yaml: the body (YAML or JSON) is one whole object, whose apiVersion,
    /// kind, name and namespace must be those of the URL (400 BadRequest otherwise, as from the API server).</summary>
    private (int Code, JsonObject Result) ServerSideApply(FakeResource resource, string? ns, string name, string body, bool status)
    {
        FleetL4.Models.ManifestObject applied;
        try
        {
            var objects = FleetL4.Members.ManifestReader.Read(body, "apply patch");
            if (objects.Count != 1) return (400, FakeApiStore.Status(400, "BadRequest", "an apply patch holds exactly one object"));
            applied = objects[0];
        }
        catch (FleetL4.Models.FleetValidationException ex)
        {
            return (400, FakeApiStore.Status(400, "BadRequest", $"error decoding YAML: {ex.Message}"));
        }
        var mismatch =
            applied.ApiVersion != resource.ApiVersion ? $"the API version in the data ({applied.ApiVersion}) does not match the expected API version ({resource.ApiVersion})"
            : applied.Kind != resource.Kind ? $"the kind in the data ({applied.Kind}) does not match the expected kind ({resource.Kind})"
            : applied.Name != name ? $"the name of the object ({applied.Name}) does not match the name on the URL ({name})"
            : resource.Namespaced && applied.Namespace is { } given && given != ns ? "the namespace of the provided object does not match the namespace sent on the request"
            : null;
        if (mismatch is not null) return (400, FakeApiStore.Status(400, "BadRequest", mismatch));
        return Store.Apply(resource, ns, JsonNode.Parse(applied.Json)!.AsObject(), status);
    }

    /// <summary>The kind of a request, for <see cref="RequestCounts"/>.</summary>
    private static string Describe(HttpRequest request, FakeResource? resource, string? name, bool status)
    {
        if (resource is null) return $"{request.Method} discovery";
        if (request.Method == "GET" && name is null)
            return $"{(request.Query["watch"] is var w && (w == "true" || w == "1") ? "WATCH" : "LIST")} {resource.Plural}";
        return $"{request.Method} {resource.Plural}{(status ? "/status" : "")}";
    }

    private static (FakeResource? Resource, string? Namespace, string? Name, bool Status) Route(string[] p)
    {
        int i;
        string group;
        if (p.Length >= 3 && p[0] == "api" && p[1] == "v1") { group = ""; i = 2; }
        else if (p.Length >= 4 && p[0] == "apis") { group = p[1]; i = 3; }
        else return (null, null, null, false);
        var version = p[i - 1];
        string? ns = null;
        // .../namespaces/{ns}/{plural}/...: a namespaced type; .../namespaces[/{name}[/status]]: Namespaces themselves.
        if (p.Length > i + 2 && p[i] == "namespaces" && p[i + 2] is not ("status" or "finalize")) { ns = p[i + 1]; i += 2; }
        var resource = FakeApiStore.Resources.FirstOrDefault(r => r.Group == group && r.Plural == p[i] && r.Version == version);
        // A cluster-scoped type has no URL in a namespace.
        if (resource is { Namespaced: false } && ns is not null) resource = null;
        var name = p.Length > i + 1 ? p[i + 1] : null;
        var status = p.Length > i + 2 && p[i + 2] == "status";
        return (resource, ns, name, status);
    }

    /// <summary>Kubernetes version priority: GA, then beta, then alpha; higher numbers first within each.</summary>
    private static (int Stability, int Major, int Minor) VersionPriority(string version)
    {
        var m = System.Text.RegularExpressions.Regex.Match(version, @"^v(\d+)(?:(alpha|beta)(\d+))?$");
        if (!m.Success) return (-1, 0, 0);
        var stability = m.Groups[2].Value switch { "alpha" => 0, "beta" => 1, _ => 2 };
        return (stability, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[3].Success ? int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : 0);
    }

    /// <summary>What the API server prints for Kubernetes' own kinds (the columns a JSONPath can fill).</summary>
    private static readonly Dictionary<string, IReadOnlyList<(string Name, string JsonPath)>> BuiltInColumns = new()
    {
        ["namespaces"] = [("Status", ".status.phase"), ("Age", ".metadata.creationTimestamp")],
        ["deployments"] = [("Up-to-date", ".status.updatedReplicas"), ("Available", ".status.availableReplicas"), ("Age", ".metadata.creationTimestamp")],
        ["configmaps"] = [("Age", ".metadata.creationTimestamp")],
    };

    private static bool WantsTable(HttpContext http) => http.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    private JsonObject Table(FakeResource r, IReadOnlyList<JsonObject> items, long rv)
    {
        var columns = Columns.TryGetValue(r.Plural, out var c) ? c : BuiltInColumns.GetValueOrDefault(r.Plural) ?? [("Name", ".metadata.name")];
        if (columns.All(col => col.Name != "Name")) columns = [("Name", ".metadata.name"), .. columns];
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) },
            ["columnDefinitions"] = new JsonArray(columns.Select(col => (JsonNode?)new JsonObject
            {
                ["name"] = col.Name, ["type"] = col.Name == "Age" ? "date" : "string", ["format"] = col.Name == "Name" ? "name" : "", ["description"] = "", ["priority"] = 0,
            }).ToArray()),
            ["rows"] = new JsonArray(items.Select(item => (JsonNode?)new JsonObject
            {
                ["cells"] = new JsonArray(columns.Select(col => col.Name == "Age"
                    ? (JsonNode?)Age(item["metadata"]?["creationTimestamp"]?.GetValue<string>())
                    : JsonPathLite.Evaluate(item, col.JsonPath) ?? "").ToArray()),
                ["object"] = new JsonObject { ["kind"] = "PartialObjectMetadata", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = item["metadata"]!.DeepClone() },
            }).ToArray()),
        };
    }

    private static string Age(string? timestamp)
    {
        if (!DateTime.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var t)) return "<unknown>";
        var age = DateTime.UtcNow - t;
        return age.TotalMinutes < 2 ? $"{(int)age.TotalSeconds}s" : age.TotalHours < 2 ? $"{(int)age.TotalMinutes}m" : $"{(int)age.TotalHours}h";
    }

    /// <summary>The object of a POST or PUT: JSON, or protobuf for a v1 Namespace (kubectl create namespace sends
    /// nothing else, and does not retry in JSON); else what the API server answers (415, 400).</summary>
    private static async Task<(JsonObject? Object, (int Code, JsonObject Result)? Refused)> ObjectBody(HttpContext http, FakeResource resource)
    {
        if (!ProtobufBody.Is(http.Request.ContentType)) return ((await Body(http))!, null);
        if (!ProtobufBody.Supports(resource))
            return (null, (415, FakeApiStore.Status(415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: application/json (this fake API server reads {ProtobufBody.MediaType} for v1 Namespaces only, not {resource.Plural})")));
        using var bytes = new MemoryStream();
        await http.Request.Body.CopyToAsync(bytes, http.RequestAborted);
        try
        {
            return (ProtobufBody.ReadNamespace(bytes.ToArray()), null);
        }
        catch (FormatException ex)
        {
            return (null, (400, FakeApiStore.Status(400, "BadRequest", $"the body of the request could not be decoded: {ex.Message}")));
        }
    }

    private static async Task<JsonObject?> Body(HttpContext http) => JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync())?.AsObject();

    private static async Task Send(HttpContext http, int code, JsonObject body)
    {
        http.Response.StatusCode = code;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString());
    }

    private static async Task Line(HttpContext http, JsonObject e, CancellationToken ct = default)
    {
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(e.ToJsonString() + "\n"), ct);
        await http.Response.Body.FlushAsync(ct);
    }
}
