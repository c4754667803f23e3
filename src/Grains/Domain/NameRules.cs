using System.Text.RegularExpressions;
using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>Kubernetes name rules (apimachinery validation): DNS-1123 and DNS-1035 labels, at most 63 characters.</summary>
public static partial class NameRules
{
    public const int MaxLabelLength = 63;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?\\z")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?\\z")]
    private static partial Regex Dns1035Label();

    public static bool IsDns1123Label(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLabelLength && Dns1123Label().IsMatch(value);

    public static bool IsDns1035Label(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLabelLength && Dns1035Label().IsMatch(value);

    /// <summary>Throws naming <paramref name="field"/> unless the value is a DNS-1123 label.</summary>
    public static void RequireDns1123Label(string field, string? value) =>
        Require(field, value, Dns1123Label(), "a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)");

    /// <summary>metadata.namespace and metadata.name of a namespaced object FleetL4 acts on: both DNS-1123 labels.</summary>
    public static void RequireNamespacedName(NamespacedName name)
    {
        RequireDns1123Label("metadata.namespace", name.Namespace);
        RequireDns1123Label("metadata.name", name.Name);
    }

    /// <summary>Throws naming <paramref name="field"/> unless the value is a DNS-1035 label.</summary>
    public static void RequireDns1035Label(string field, string? value) =>
        Require(field, value, Dns1035Label(), "a DNS-1035 label (lower-case letters, digits and '-', starting with a letter and ending with a letter or digit)");

    private static void Require(string field, string? value, Regex pattern, string what)
    {
        if (string.IsNullOrEmpty(value))
            throw new FleetValidationException(field, "is required");
        if (value.Length > MaxLabelLength)
            throw new FleetValidationException(field, $"\"{Shorten(value)}\" is {value.Length} characters long; at most {MaxLabelLength} are allowed");
        if (!pattern.IsMatch(value))
            throw new FleetValidationException(field, $"\"{value}\" is not {what}");
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..77] + "...";
}
