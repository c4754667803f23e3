using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>Checks a MultiClusterService and reads its internal-LB annotation.</summary>
public static class MultiClusterServiceValidation
{
    /// <summary>Throws naming the field; returns whether the load balancer is internal.</summary>
    public static bool Validate(MultiClusterServiceSpec spec)
    {
        NameRules.RequireNamespacedName(new NamespacedName(spec.Namespace, spec.Name));
        NameRules.RequireDns1035Label("spec.serviceImport.name", spec.ServiceImportName);
        var annotations = spec.Annotations ?? new Dictionary<string, string>();
        // The Fleet annotation decides when present; the legacy one only when it is absent.
        var isInternal = false;
        foreach (var key in new[] { FleetAnnotations.LegacyInternalLoadBalancer, FleetAnnotations.InternalLoadBalancer })
        {
            if (!annotations.TryGetValue(key, out var value)) continue;
            if (!bool.TryParse(value.Trim(), out var parsed))
                throw new FleetValidationException($"metadata.annotations[{key}]", $"\"{value}\" is not a boolean (true or false)");
            isInternal = parsed;
        }
        return isInternal;
    }
}
