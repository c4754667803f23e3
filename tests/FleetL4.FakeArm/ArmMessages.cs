using System.Net;
using System.Text.Json.Nodes;

namespace FleetL4.FakeArm;

/// <summary>A request as the fake's ARM front door sees it (the body already parsed).</summary>
internal sealed record ArmRequest(string Method, string Path, string? ApiVersion, string? Authorization)
{
    public JsonObject? Body { get; init; }

    /// <summary>The body was there but was not a JSON object.</summary>
    public bool BodyInvalid { get; init; }

    public string? IfMatch { get; init; }
    public string? IfNoneMatch { get; init; }

    public bool IsWrite => Method is "PUT" or "PATCH" or "DELETE" or "POST";
}

/// <summary>What NRP (or the front door) answers; relative operation URLs are made absolute by the server.</summary>
internal sealed class ArmResponse(HttpStatusCode status, JsonNode? body = null)
{
    public HttpStatusCode Status { get; } = status;
    public JsonNode? Body { get; } = body;
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);
    public string? ErrorCode { get; init; }
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>How long the server waits before it answers (an injected slow answer).</summary>
    public TimeSpan Delay { get; set; }

    public static ArmResponse Error(ArmException e)
    {
        var response = new ArmResponse(e.Status, e.Body()) { ErrorCode = e.Code, RetryAfter = e.RetryAfter };
        if (e.RetryAfter is { } wait) response.Headers["Retry-After"] = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return response;
    }
}
