using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>What the hub makes of a MultiClusterService's spec and annotations.</summary>
/// <param name="SpecError">The field and problem that leave the MCS Valid=False (it imports nothing), else null.</param>
/// <param name="Warning">An annotation that was ignored, for the Valid condition's message, else null.</param>
public sealed record MultiClusterServiceCheck(bool Internal, (string Field, string Detail)? SpecError, string? Warning);

/// <summary>Checks a MultiClusterService and reads its internal-LB annotation.</summary>
public static class MultiClusterServiceValidation
{
    /// <summary>
    /// Throws naming the field when the MCS cannot even be named (its namespace/name make its key). A bad
    /// spec.serviceImport.name reaching the hub (our CRD refuses it, another API server may not) is not refused:
    /// the MCS shows it as Valid=False, as a controller does.
    /// </summary>
    public static MultiClusterServiceCheck Validate(MultiClusterServiceSpec spec)
    {
        NameRules.RequireNamespacedName(new NamespacedName(spec.Namespace, spec.Name));
        (string, string)? specError = null;
        try
        {
            NameRules.RequireDns1035Label("spec.serviceImport.name", spec.ServiceImportName);
        }
        catch (FleetValidationException ex)
        {
            specError = (ex.Field, ex.Detail);
        }
        var annotations = spec.Annotations ?? new Dictionary<string, string>();
        // The Fleet annotation decides when present; the legacy one only when it is absent. Unparseable means
        // public, as in Fleet, but says so instead of staying silent.
        var isInternal = false;
        string? warning = null;
        foreach (var key in new[] { FleetAnnotations.LegacyInternalLoadBalancer, FleetAnnotations.InternalLoadBalancer })
        {
            if (!annotations.TryGetValue(key, out var value)) continue;
            if (FleetBool.TryParse(value, out var parsed))
            {
                isInternal = parsed;
                warning = null;
            }
            else
            {
                isInternal = false;
                warning = ConditionMessages.InternalAnnotationIgnored(key, value);
            }
        }
        return new(isInternal, specError, warning);
    }

    /// <summary>For a batch check before anything is stored: throws for the first problem, as our CRD would refuse it.</summary>
    public static void RequireValid(MultiClusterServiceSpec spec)
    {
        if (Validate(spec).SpecError is { } error) throw new FleetValidationException(error.Field, error.Detail);
    }
}
