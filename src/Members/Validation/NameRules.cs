using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>
/// Kubernetes name rules (apimachinery's validation package): DNS-1123 and DNS-1035 labels (at most 63 characters),
/// DNS-1123 subdomains (at most 253), path segment names and IANA service names. Here, not in the hub's rules,
/// because member translation (this project) checks names too and the hub's project references this one.
/// </summary>
public static partial class NameRules
{
    public const int MaxLabelLength = 63;
    public const int MaxSubdomainLength = 253;

    /// <summary>IANA_SVC_NAME (RFC 6335): a named port is at most 15 characters.</summary>
    public const int MaxPortNameLength = 15;

    private const string LabelWhat = "a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)";
    private const string SubdomainWhat = "a DNS-1123 subdomain (DNS-1123 labels joined by '.')";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?\\z")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?\\z")]
    private static partial Regex Dns1035Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\z")]
    private static partial Regex Dns1123Subdomain();

    // Lower-case letters, digits and single '-' between them; IsIanaServiceName adds "at least one letter".
    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*\\z")]
    private static partial Regex IanaServiceName();

    [GeneratedRegex("[a-z]")]
    private static partial Regex Letter();

    public static bool IsDns1123Label(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLabelLength && Dns1123Label().IsMatch(value);

    public static bool IsDns1035Label(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLabelLength && Dns1035Label().IsMatch(value);

    public static bool IsDns1123Subdomain(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxSubdomainLength && Dns1123Subdomain().IsMatch(value);

    /// <summary>A named port (targetPort by name): 1-15 lower-case letters, digits and '-', at least one letter,
    /// no '-' at either end or twice in a row (apimachinery's IsValidPortName).</summary>
    public static bool IsIanaServiceName(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxPortNameLength && IanaServiceName().IsMatch(value) && Letter().IsMatch(value);

    /// <summary>Throws naming <paramref name="field"/> unless the value is a DNS-1123 label.</summary>
    public static void RequireDns1123Label(string field, string? value) =>
        Require(field, value, MaxLabelLength, Dns1123Label(), LabelWhat);

    /// <summary>metadata.namespace and metadata.name of a namespaced object FleetL4 acts on: both DNS-1123 labels.</summary>
    public static void RequireNamespacedName(NamespacedName name)
    {
        RequireDns1123Label("metadata.namespace", name.Namespace);
        RequireDns1123Label("metadata.name", name.Name);
    }

    /// <summary>Throws naming <paramref name="field"/> unless the value is a DNS-1035 label.</summary>
    public static void RequireDns1035Label(string field, string? value) =>
        Require(field, value, MaxLabelLength, Dns1035Label(), "a DNS-1035 label (lower-case letters, digits and '-', starting with a letter and ending with a letter or digit)");

    /// <summary>Throws naming <paramref name="field"/> unless the value is a DNS-1123 subdomain of at most 253 characters.</summary>
    public static void RequireDns1123Subdomain(string field, string? value) =>
        Require(field, value, MaxSubdomainLength, Dns1123Subdomain(), SubdomainWhat);

    /// <summary>
    /// A name that is one URL path segment (Kubernetes' rule for RBAC objects, whose names hold ':'): not "." or
    /// "..", no '/' or '%'. Stricter than Kubernetes: printable ASCII only and at most 253 characters, so that a
    /// name can never break a table row or a terminal.
    /// </summary>
    public static void RequirePathSegment(string field, string? value)
    {
        if (string.IsNullOrEmpty(value)) throw new FleetValidationException(field, "is required");
        RequireLength(field, value, MaxSubdomainLength);
        if (value is "." or "..")
            throw new FleetValidationException(field, $"{Quote(value)} may not be '.' or '..'");
        if (value.Any(c => c is '/' or '%' or < '!' or > '~'))
            throw new FleetValidationException(field, $"{Quote(value)} may only hold printable ASCII characters other than '/' and '%'");
    }

    /// <summary>Throws naming <paramref name="field"/> unless the value is an IANA service name (a named port).</summary>
    public static void RequireIanaServiceName(string field, string value)
    {
        if (!IsIanaServiceName(value))
            throw new FleetValidationException(field, $"{Quote(value)} is not a port number (1-65535) or a port name (1-{MaxPortNameLength} lower-case letters, digits and '-', with at least one letter and no '-' at either end or twice in a row)");
    }

    /// <summary>A value as it is shown in a message: quoted and escaped (no newline or control character gets
    /// through to a terminal), and shortened past 80 characters.</summary>
    public static string Quote(string value) =>
        JsonSerializer.Serialize(value.Length <= 80 ? value : value[..77] + "...", QuoteOptions);

    /// <summary>A name as typed when it is short printable ASCII, else <see cref="Quote"/>d.</summary>
    public static string Display(string value) =>
        value.Length is > 0 and <= 80 && value.All(c => c is > ' ' and <= '~') ? value : Quote(value);

    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static void Require(string field, string? value, int maxLength, Regex pattern, string what)
    {
        if (string.IsNullOrEmpty(value))
            throw new FleetValidationException(field, "is required");
        RequireLength(field, value, maxLength);
        if (!pattern.IsMatch(value))
            throw new FleetValidationException(field, $"{Quote(value)} is not {what}");
    }

    private static void RequireLength(string field, string value, int maxLength)
    {
        if (value.Length > maxLength)
            throw new FleetValidationException(field, $"{Quote(value)} is {value.Length} characters long; at most {maxLength} are allowed");
    }
}
