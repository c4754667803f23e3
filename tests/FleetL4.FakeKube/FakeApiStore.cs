using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace FleetL4.FakeKube;

/// <summary>One version of a resource type the fake serves. A type served in several versions is stored once, in its
/// <see cref="Storage"/> version; reads in another version get the object with that apiVersion (the schemas are the
/// same, as for ServiceExport v1alpha1 and v1beta1). A cluster-scoped type (<see cref="Namespaced"/> false) has no
/// namespace in its URLs, keys or objects.</summary>
public sealed record FakeResource(string Group, string Version, string Plural, string Kind, string Singular, string[] ShortNames,
    bool Storage = true, bool Namespaced = true, bool HasStatus = true, string[]? Categories = null)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Kubernetes' own types (core, *.k8s.io, apps, ...), which take strategic merge patches; custom resources do not.</summary>
    public bool BuiltIn => !Group.Contains('.', StringComparison.Ordinal) || Group.EndsWith(".k8s.io", StringComparison.Ordinal);

    /// <summary>The same resource type, in whatever version.</summary>
    public bool SameType(FakeResource other) => Group == other.Group && Plural == other.Plural;
}

/// <summary>A watch event as the API server streams it.</summary>
public sealed record FakeEvent(long ResourceVersion, FakeResource Resource, string? Namespace, string Type, JsonObject Object);

/// <summary>
/// The state of a fake API server, kept apart from its HTTP front so that the server can go down and come back
/// with the same objects: a global resourceVersion, every object by (group, plural, namespace, name), and an
/// event log that watches replay from, compacted on demand (older versions then get 410 Gone).
/// </summary>
public sealed class FakeApiStore
{
    public static readonly FakeResource[] Resources =
    [
        new("", "v1", "namespaces", "Namespace", "namespace", ["ns"], Namespaced: false),
        new("", "v1", "services", "Service", "service", ["svc"]),
        new("", "v1", "configmaps", "ConfigMap", "configmap", ["cm"], HasStatus: false),
        new("apps", "v1", "deployments", "Deployment", "deployment", ["deploy"], Categories: ["all"]),
        new("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", "endpointslice", []),
        new("networking.fleet.azure.com", "v1alpha1", "serviceexports", "ServiceExport", "serviceexport", ["svcexport"], Storage: false, Categories: [FleetNetworking]),
        new("networking.fleet.azure.com", "v1beta1", "serviceexports", "ServiceExport", "serviceexport", ["svcexport"], Categories: [FleetNetworking]),
        new("networking.fleet.azure.com", "v1alpha1", "multiclusterservices", "MultiClusterService", "multiclusterservice", ["mcs"], Categories: [FleetNetworking]),
        new("networking.fleet.azure.com", "v1alpha1", "serviceimports", "ServiceImport", "serviceimport", ["svcimport"], Categories: [FleetNetworking]),
        new("placement.kubernetes-fleet.io", "v1", "clusterresourceplacements", "ClusterResourcePlacement", "clusterresourceplacement", ["crp"],
            Namespaced: false, Categories: ["fleet"]),
        new("", "v1", "events", "Event", "event", ["ev"], HasStatus: false),
        new("coordination.k8s.io", "v1", "leases", "Lease", "lease", [], HasStatus: false),
    ];

    private const string FleetNetworking = "fleet-networking";

    private readonly Dictionary<(string Group, string Plural), Dictionary<string, JsonObject>> _objects = new();
    private readonly List<FakeEvent> _log = [];
    private readonly List<FakeWatcher> _watchers = [];
    private readonly Lock _lock = new();
    private long _resourceVersion = 100;
    private long _compactedThrough;

    public long ResourceVersion { get { lock (_lock) return _resourceVersion; } }

    public int StatusPatches;

    /// <summary>The next N status patches fail with 409 Conflict, as when another writer raced us.</summary>
    public int ConflictNextStatusPatches;

    /// <summary>The served version an object of this apiVersion and kind is written through (the storage version
    /// when the group is known but not the version).</summary>
    public static FakeResource ForKind(string apiVersion, string kind) =>
        Resources.FirstOrDefault(r => r.Kind == kind && r.ApiVersion == apiVersion)
        ?? Resources.First(r => r.Kind == kind && r.Storage && r.Group.Length > 0 && apiVersion.StartsWith(r.Group + "/", StringComparison.Ordinal));

    /// <summary>The version a resource type is stored in.</summary>
    public static FakeResource StorageOf(FakeResource r) => Resources.First(s => s.SameType(r) && s.Storage);

    /// <param name="labelSelector">A label selector as in ?labelSelector= (key, !key, key=value, key!=value, comma = and).</param>
    public (IReadOnlyList<JsonObject> Items, long ResourceVersion) List(FakeResource r, string? ns, string? labelSelector = null)
    {
        ns = Scoped(r, ns);
        lock (_lock)
        {
            var items = Bucket(r).Values.Where(o => (ns is null || Namespace(o) == ns) && Selects(labelSelector, o)).Select(o => As(r, o)).ToArray();
            return (items, _resourceVersion);
        }
    }

    /// <summary>How many stored objects of a type (all namespaces) match. The objects are read in place under the
    /// store's lock, not copied, so this is cheap to poll; the predicate must neither keep nor change them.</summary>
    public int Count(FakeResource r, Func<JsonObject, bool> predicate)
    {
        lock (_lock) return Bucket(r).Values.Count(predicate);
    }

    public JsonObject? Get(FakeResource r, string? ns, string name)
    {
        lock (_lock) return Bucket(r).TryGetValue(Key(r, ns, name), out var o) ? As(r, o) : null;
    }

    /// <summary>Create (409 if it exists) or update (409 on a stale resourceVersion), as POST and PUT do.</summary>
    public (int Code, JsonObject Result) Write(FakeResource r, string? ns, JsonObject obj, bool create)
    {
        ns = Scoped(r, ns);
        lock (_lock)
        {
            var meta = obj["metadata"]!.AsObject();
            var name = meta["name"]!.GetValue<string>();
            var key = Key(r, ns, name);
            var bucket = Bucket(r);
            bucket.TryGetValue(key, out var existing);
            if (create && existing is not null) return (409, Status(409, "AlreadyExists", $"{r.Plural} \"{name}\" already exists"));
            if (!create && existing is null) return (404, Status(404, "NotFound", $"{r.Plural} \"{name}\" not found"));
            if (!create && meta["resourceVersion"]?.GetValue<string>() is { } rv && rv != Rv(existing!))
                return (409, Status(409, "Conflict", $"the object has been modified; please apply your changes to the latest version and try again"));
            var stored = (JsonObject)obj.DeepClone();
            if (existing is not null)
            {
                if (existing["status"] is { } status && stored["status"] is null) stored["status"] = status.DeepClone();
                Updated(existing, stored);
            }
            else Created(r, ns, stored);
            Commit(r, ns, key, stored, existing is null ? "ADDED" : "MODIFIED");
            return (existing is null ? 201 : 200, As(r, stored));
        }
    }

    /// <summary>JSON merge patch (RFC 7386) of the object, or of its status only through the /status subresource.</summary>
    public (int Code, JsonObject Result) Patch(FakeResource r, string? ns, string name, JsonObject patch, bool status)
    {
        ns = Scoped(r, ns);
        lock (_lock)
        {
            var key = Key(r, ns, name);
            if (!Bucket(r).TryGetValue(key, out var existing)) return (404, Status(404, "NotFound", $"{r.Plural} \"{name}\" not found"));
            if (status && ConflictNextStatusPatches > 0)
            {
                ConflictNextStatusPatches--;
                return (409, Status(409, "Conflict", "Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again"));
            }
            var updated = (JsonObject)existing.DeepClone();
            if (status) Merge(updated, new JsonObject { ["status"] = patch["status"]?.DeepClone() });
            else Merge(updated, patch);
            if (status) StatusPatches++;
            Updated(existing, updated);
            Commit(r, ns, key, updated, "MODIFIED");
            return (200, As(r, updated));
        }
    }

    /// <summary>
    /// Server-side apply of a whole object (already checked against the URL): creates it when absent (201), else
    /// merges the applied fields into it (200). Field ownership is not tracked, so a field a manager stops applying
    /// stays (a real API server would remove it); the agent always applies whole objects, where that makes no difference.
    /// </summary>
    public (int Code, JsonObject Result) Apply(FakeResource r, string? ns, JsonObject applied, bool status)
    {
        ns = Scoped(r, ns);
        lock (_lock)
        {
            var key = Key(r, ns, applied["metadata"]!["name"]!.GetValue<string>());
            if (!Bucket(r).TryGetValue(key, out var existing))
            {
                if (status) return (404, Status(404, "NotFound", $"{r.Plural} \"{applied["metadata"]!["name"]}\" not found"));
                var created = (JsonObject)applied.DeepClone();
                created["metadata"]!.AsObject().Remove("resourceVersion");
                Created(r, ns, created);
                Commit(r, ns, key, created, "ADDED");
                return (201, As(r, created));
            }
            var patch = (JsonObject)applied.DeepClone();
            patch["metadata"]!.AsObject().Remove("resourceVersion");
            patch.Remove("apiVersion");
            var updated = (JsonObject)existing.DeepClone();
            Merge(updated, status ? new JsonObject { ["status"] = patch["status"]?.DeepClone() } : patch);
            Updated(existing, updated);
            if (JsonNode.DeepEquals(existing, updated)) return (200, As(r, existing)); // a no-op apply writes nothing
            Commit(r, ns, key, updated, "MODIFIED");
            return (200, As(r, updated));
        }
    }

    /// <summary>Deletes an object; a Namespace takes every object in it along (a DELETED event for each, the
    /// Namespace's last), as the namespace controller does, at once instead of after a Terminating phase.</summary>
    public bool Delete(FakeResource r, string? ns, string name)
    {
        ns = Scoped(r, ns);
        lock (_lock)
        {
            if (!Bucket(r).ContainsKey(Key(r, ns, name))) return false;
            if (r.Kind == "Namespace" && r.Group.Length == 0)
                foreach (var ((group, plural), bucket) in _objects)
                {
                    var type = Resources.First(t => t.Group == group && t.Plural == plural && t.Storage);
                    if (!type.Namespaced) continue;
                    foreach (var (key, o) in bucket.Where(e => Namespace(e.Value) == name).ToArray())
                        Deleted(type, name, key, o);
                }
            Deleted(r, ns, Key(r, ns, name), Bucket(r)[Key(r, ns, name)]);
            return true;
        }
    }

    private void Deleted(FakeResource r, string? ns, string key, JsonObject existing)
    {
        Bucket(r).Remove(key);
        _resourceVersion++;
        existing["metadata"]!["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture);
        Publish(new FakeEvent(_resourceVersion, StorageOf(r), ns, "DELETED", existing));
    }

    /// <summary>The server-set fields of a new object (and what the API server adds to a Namespace).</summary>
    private static void Created(FakeResource r, string? ns, JsonObject stored)
    {
        var meta = stored["metadata"]!.AsObject();
        if (ns is null) meta.Remove("namespace");
        else meta["namespace"] = ns;
        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] ??= DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        meta["generation"] = 1;
        if (r.Kind == "Namespace" && r.Group.Length == 0)
        {
            var labels = meta["labels"] as JsonObject ?? (JsonObject)(meta["labels"] = new JsonObject());
            labels["kubernetes.io/metadata.name"] = meta["name"]!.GetValue<string>();
            stored["status"] = new JsonObject { ["phase"] = "Active" };
        }
        stored["apiVersion"] = StorageOf(r).ApiVersion;
        stored["kind"] = r.Kind;
    }

    /// <summary>The server-set fields of an update: identity kept, generation up when the spec changed.</summary>
    private static void Updated(JsonObject existing, JsonObject stored)
    {
        var oldMeta = existing["metadata"]!.AsObject();
        var meta = stored["metadata"]!.AsObject();
        meta["namespace"] = oldMeta["namespace"]?.DeepClone();
        if (meta["namespace"] is null) meta.Remove("namespace");
        meta["name"] = oldMeta["name"]!.DeepClone();
        meta["uid"] = oldMeta["uid"]?.DeepClone();
        meta["creationTimestamp"] = oldMeta["creationTimestamp"]?.DeepClone();
        meta["resourceVersion"] = oldMeta["resourceVersion"]?.DeepClone();
        var specChanged = !JsonNode.DeepEquals(existing["spec"], stored["spec"]);
        meta["generation"] = long.Parse(oldMeta["generation"]!.ToString(), CultureInfo.InvariantCulture) + (specChanged ? 1 : 0);
        stored["apiVersion"] = existing["apiVersion"]!.DeepClone();
        stored["kind"] = existing["kind"]!.DeepClone();
    }

    /// <summary>A cluster-scoped type has no namespace, whatever the caller passed.</summary>
    private static string? Scoped(FakeResource r, string? ns) => r.Namespaced ? ns : null;

    private static string Key(FakeResource r, string? ns, string name) => r.Namespaced ? $"{ns}/{name}" : name;


    /// <summary>Opens a watch: replays events after <paramref name="since"/>, then follows. Null when that version is compacted (410).
    /// Events come in the watched version, and only for objects the label selector selects.</summary>
    public ChannelReader<FakeEvent>? Watch(FakeResource r, string? ns, long since, out Action cancel, string? labelSelector = null)
    {
        lock (_lock)
        {
            cancel = () => { };
            if (since < _compactedThrough) return null;
            var channel = Channel.CreateUnbounded<FakeEvent>();
            var entry = new FakeWatcher(r, ns, labelSelector, channel);
            foreach (var e in _log.Where(e => e.ResourceVersion > since && entry.Wants(e)))
                channel.Writer.TryWrite(entry.Converted(e));
            _watchers.Add(entry);
            cancel = () => { lock (_lock) _watchers.Remove(entry); channel.Writer.TryComplete(); };
            return channel.Reader;
        }
    }

    /// <summary>Ends every open watch stream, as an API server restart or a load balancer timeout would.</summary>
    public void DropWatches()
    {
        lock (_lock)
        {
            foreach (var w in _watchers) w.Channel.Writer.TryComplete();
            _watchers.Clear();
        }
    }

    /// <summary>Forgets the event history: watches from any resourceVersion up to now get 410 Gone. (The version moves
    /// on first, as when writes happened in other kinds, so that even a watcher a bookmark brought up to date has to
    /// relist.)</summary>
    public void Compact()
    {
        lock (_lock)
        {
            _compactedThrough = ++_resourceVersion;
            _log.Clear();
        }
    }

    private void Commit(FakeResource r, string? ns, string key, JsonObject stored, string type)
    {
        _resourceVersion++;
        stored["metadata"]!["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture);
        Bucket(r)[key] = stored;
        Publish(new FakeEvent(_resourceVersion, StorageOf(r), ns, type, (JsonObject)stored.DeepClone()));
    }

    private void Publish(FakeEvent e)
    {
        _log.Add(e);
        foreach (var w in _watchers.Where(w => w.Wants(e)))
            w.Channel.Writer.TryWrite(w.Converted(e));
    }

    /// <summary>A copy of a stored object as read through version <paramref name="r"/> of its type.</summary>
    private static JsonObject As(FakeResource r, JsonObject stored)
    {
        var copy = (JsonObject)stored.DeepClone();
        copy["apiVersion"] = r.ApiVersion;
        return copy;
    }

    private sealed record FakeWatcher(FakeResource Resource, string? Namespace, string? LabelSelector, Channel<FakeEvent> Channel)
    {
        public bool Wants(FakeEvent e) =>
            Resource.SameType(e.Resource) && (Namespace is null || Namespace == e.Namespace) && Selects(LabelSelector, e.Object);

        public FakeEvent Converted(FakeEvent e) => e with { Resource = Resource, Object = As(Resource, e.Object) };
    }

    private static bool Selects(string? labelSelector, JsonObject o)
    {
        if (string.IsNullOrEmpty(labelSelector)) return true;
        var labels = o["metadata"]?["labels"] as JsonObject;
        string? Label(string key) => labels?[key]?.GetValue<string>();
        foreach (var term in labelSelector.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var ok = term switch
            {
                _ when term.Contains("!=", StringComparison.Ordinal) => Label(term[..term.IndexOf("!=", StringComparison.Ordinal)]) != term[(term.IndexOf("!=", StringComparison.Ordinal) + 2)..],
                _ when term.Contains('=') => Label(term[..term.IndexOf('=')]) == term[(term.LastIndexOf('=') + 1)..],
                _ when term.StartsWith('!') => Label(term[1..]) is null,
                _ => Label(term) is not null,
            };
            if (!ok) return false;
        }
        return true;
    }

    private Dictionary<string, JsonObject> Bucket(FakeResource r)
    {
        if (!_objects.TryGetValue((r.Group, r.Plural), out var bucket)) _objects[(r.Group, r.Plural)] = bucket = new(StringComparer.Ordinal);
        return bucket;
    }

    private static string? Namespace(JsonObject o) => o["metadata"]?["namespace"]?.GetValue<string>();
    private static string Rv(JsonObject o) => o["metadata"]!["resourceVersion"]!.GetValue<string>();

    public static JsonObject Status(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };

    /// <summary>JSON merge patch (RFC 7386): null removes a key, objects merge, anything else replaces.</summary>
    internal static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToArray())
        {
            if (value is null) target.Remove(key);
            else if (value is JsonObject p && target[key] is JsonObject t) Merge(t, p);
            else target[key] = value.DeepClone();
        }
    }
}
