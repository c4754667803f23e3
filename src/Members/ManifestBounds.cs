using System.Text;
using System.Text.Json;
using FleetL4.Models;

namespace FleetL4.Members;

/// <summary>
/// The hub's check of objects that arrive as JSON (ManifestObject.Json) in one request, with the limits the CLI's
/// <see cref="ManifestReader"/> applies to a file, so a caller of the hub API that skips the CLI is bounded too.
/// Reads each object once with <see cref="Utf8JsonReader"/> (no tree, no recursion) before anything parses it.
/// </summary>
public static class ManifestBounds
{
    public static void Check(IReadOnlyList<ManifestObject> objects)
    {
        if (objects.Count > ManifestLimits.MaxDocuments)
            throw new FleetValidationException("objects", $"{objects.Count} objects in one request; at most {ManifestLimits.MaxDocuments} are allowed");
        long total = 0;
        foreach (var o in objects)
        {
            var where = $"document {o.Document} ({MemberObjectKinds.Describe(o)})";
            var bytes = Encoding.UTF8.GetByteCount(o.Json);
            if (bytes > ManifestLimits.MaxObjectBytes)
                throw new FleetValidationException(where, $"is {bytes} bytes as JSON; at most {ManifestLimits.MaxObjectBytes} (1.5 MiB, etcd's limit on a Kubernetes object) are allowed");
            total += bytes;
            if (total > ManifestLimits.MaxTotalJsonBytes)
                throw new FleetValidationException("objects", $"more than {ManifestLimits.MaxTotalJsonBytes} bytes of JSON in one request");
            CheckJson(Encoding.UTF8.GetBytes(o.Json), where);
        }
    }

    private static void CheckJson(byte[] json, string where)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = ManifestLimits.MaxDepth });
        try
        {
            if (!reader.Read() || reader.TokenType is not JsonTokenType.StartObject)
                throw new FleetValidationException(where, "is not a JSON object");
            while (reader.Read())
            {
                // The escaped form is never shorter than the text, so only a long one needs decoding to count.
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueSpan.Length > ManifestLimits.MaxStringLength
                    && reader.GetString()!.Length > ManifestLimits.MaxStringLength)
                    throw new FleetValidationException(where, $"has a string longer than {ManifestLimits.MaxStringLength} characters (1 MiB)");
            }
        }
        catch (JsonException ex)
        {
            throw new FleetValidationException(where, $"is not valid JSON within the hub's limits (depth {ManifestLimits.MaxDepth}): {ex.Message}");
        }
    }
}
