using System.Text.Json.Nodes;

namespace FleetL4.Members.Validation;

/// <summary>The types of the MultiClusterService fields read (spec.serviceImport.name); the hub's own rules check the
/// value, and that spec is there (<c>MultiClusterServiceValidation</c>, as our CRD).</summary>
internal static class MultiClusterServiceRules
{
    public static void Validate(JsonObject root)
    {
        if (JsonField.Object(root, "spec", "spec") is { } spec && JsonField.Object(spec, "serviceImport", "spec.serviceImport") is { } import)
            JsonField.String(import, "name", "spec.serviceImport.name");
    }
}
