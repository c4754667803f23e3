using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>Checks a MultiClusterService and reads its internal-LB annotation.</summary>
public static class MultiClusterServiceValidation
{
    public const string InternalAnnotation = "networking.fleet.azure.com/azure-load-balancer-internal";

    /// <summary>An old Fleet doc told users to put the Service annotation on the MCS; accepting it is friendly.</summary>
    public const string LegacyInternalAnnotation = "service.beta.kubernetes.io/azure-load-balancer-internal";

    /// <summary>Throws naming the field; returns whether the load balancer is internal.</summary>
    public static bool Validate(MultiClusterServiceSpec spec)
    {
        NameRules.RequireDns1123Label("metadata.namespace", spec.Namespace);
        NameRules.RequireDns1123Label("metadata.name", spec.Name);
        NameRules.RequireDns1035Label("spec.serviceImport.name", spec.ServiceImportName);
        var annotations = spec.Annotations ?? new Dictionary<string, string>();
        // The Fleet annotation decides when present; the legacy one only when it is absent.
        var isInternal = false;
        foreach (var key in new[] { LegacyInternalAnnotation, InternalAnnotation })
        {
            if (!annotations.TryGetValue(key, out var value)) continue;
            if (!bool.TryParse(value.Trim(), out var parsed))
                throw new FleetValidationException($"metadata.annotations[{key}]", $"\"{value}\" is not a boolean (true or false)");
            isInternal = parsed;
        }
        return isInternal;
    }
}
