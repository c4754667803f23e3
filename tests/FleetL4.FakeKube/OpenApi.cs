using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace FleetL4.FakeKube;

/// <summary>
/// The least of /openapi/v3 that kubectl needs: per group/version, the PATCH operation of each kind with its
/// x-kubernetes-group-version-kind and the fieldValidation query parameter (on the operation, where kubectl looks). From it kubectl learns that the server
/// validates fields itself, so `kubectl apply` sends fieldValidation=Strict instead of validating against a schema
/// (the fake has none to give). /openapi/v2 stays a 404, as on a server that has it turned off.
/// </summary>
public static class OpenApi
{
    /// <summary>GET /openapi/v3: where each group/version's document is (the hash changes with the document, so a
    /// client's cache of an older fake is not used).</summary>
    public static JsonObject Root()
    {
        var paths = new JsonObject();
        foreach (var gv in GroupVersions())
            paths[gv] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{gv}?hash={Hash(GroupVersion(gv)!)}" };
        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>GET /openapi/v3/api/v1 or /openapi/v3/apis/{group}/{version}; null for one the fake does not serve.</summary>
    public static JsonObject? GroupVersion(string path)
    {
        var types = FakeApiStore.Resources.Where(r => PathOf(r) == path).ToArray();
        if (types.Length == 0) return null;
        var paths = new JsonObject();
        foreach (var r in types)
        {
            var collection = r.Namespaced ? $"/{PathOf(r)}/namespaces/{{namespace}}/{r.Plural}" : $"/{PathOf(r)}/{r.Plural}";
            paths[$"{collection}/{{name}}"] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["parameters"] = new JsonArray(Query("dryRun"), Query("fieldManager"), Query("fieldValidation"), Query("force")),
                    ["operationId"] = $"patch{r.Kind}",
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = r.Group, ["version"] = r.Version, ["kind"] = r.Kind },
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                },
            };
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static IEnumerable<string> GroupVersions() => FakeApiStore.Resources.Select(PathOf).Distinct();

    private static string PathOf(FakeResource r) => r.Group.Length == 0 ? "api/v1" : $"apis/{r.Group}/{r.Version}";

    private static JsonObject Query(string name) => new()
    {
        ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };

    private static string Hash(JsonObject document) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(document.ToJsonString())))[..16];
}
