using System.Net;
using System.Text.Json.Nodes;

namespace FleetL4.FakeArm;

/// <summary>An error answer in ARM's shape: <c>{"error": {"code", "message", "details"?}}</c>.</summary>
internal sealed class ArmException(HttpStatusCode status, string code, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
    public string Code { get; } = code;

    /// <summary>Sent as <c>Retry-After</c> (whole seconds) with a 429.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public JsonArray? Details { get; init; }

    public JsonObject Body() => ErrorBody(Code, Message, Details);

    public static JsonObject ErrorBody(string code, string message, JsonArray? details = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (details is not null) error["details"] = details;
        return new JsonObject { ["error"] = error };
    }

    public static ArmException BadRequest(string code, string message) => new(HttpStatusCode.BadRequest, code, message);
}
