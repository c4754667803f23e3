using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FleetL4.LoadBalancing.Azure.Arm;

/// <summary>
/// GET, PUT (If-Match) and DELETE of Microsoft.Network resources on the ArmClient pipeline, following long-running
/// operations (Azure-AsyncOperation) to their end. Every refusal becomes an <see cref="ArmException"/> that says
/// whether to park (429), re-read (412) or retry later (busy resource).
/// </summary>
public sealed class ArmGateway(HttpPipeline pipeline, AzureOptions options, TimeProvider clock)
{
    public const string ApiVersion = "2024-05-01";

    /// <summary>Writes sent (PUT and DELETE), answered or not.</summary>
    public int Writes;

    public async Task<ArmResponse?> GetAsync(string id, CancellationToken ct)
    {
        using var message = Message(RequestMethod.Get, id);
        await pipeline.SendAsync(message, ct);
        var response = message.Response;
        if (response.Status == 404) return null;
        ThrowIfFailed(response);
        var body = Json(response);
        // Network resources carry their etag in the body; some answers also send the header.
        return new ArmResponse(body, ETag(response) ?? body["etag"]?.GetValue<string>());
    }

    /// <summary>Every resource of one type in the resource group (paged with nextLink).</summary>
    public async Task<IReadOnlyList<JsonObject>> ListAsync(string collectionId, CancellationToken ct)
    {
        var items = new List<JsonObject>();
        Uri? next = Address(collectionId);
        while (next is not null)
        {
            using var message = pipeline.CreateMessage();
            message.Request.Method = RequestMethod.Get;
            message.Request.Uri.Reset(next);
            await pipeline.SendAsync(message, ct);
            ThrowIfFailed(message.Response);
            var page = Json(message.Response);
            items.AddRange(page["value"]?.AsArray().OfType<JsonObject>() ?? []);
            next = page["nextLink"]?.GetValue<string>() is { } link ? new Uri(link) : null;
        }
        return items;
    }

    /// <summary>PUTs the resource (If-Match <paramref name="ifMatch"/> when given) and waits for the operation to end.</summary>
    public async Task<ArmResponse> PutAsync(string id, JsonObject body, string? ifMatch, CancellationToken ct)
    {
        using var message = Message(RequestMethod.Put, id);
        message.Request.Headers.Add("Content-Type", "application/json");
        if (ifMatch is not null) message.Request.Headers.Add("If-Match", ifMatch);
        message.Request.Content = RequestContent.Create(BinaryData.FromString(body.ToJsonString()));
        Interlocked.Increment(ref Writes);
        await pipeline.SendAsync(message, ct);
        ThrowIfFailed(message.Response);
        await WaitForOperation(message.Response, ct);
        return await GetAsync(id, ct) ?? throw new ArmException(HttpStatusCode.NotFound, "ResourceNotFound", $"{id} is gone after its PUT");
    }

    /// <summary>DELETEs the resource and waits for the operation to end; a missing resource is no error.</summary>
    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        using var message = Message(RequestMethod.Delete, id);
        Interlocked.Increment(ref Writes);
        await pipeline.SendAsync(message, ct);
        if (message.Response.Status is 404 or 204) return;
        ThrowIfFailed(message.Response);
        await WaitForOperation(message.Response, ct);
    }

    private async Task WaitForOperation(Response response, CancellationToken ct)
    {
        if (!response.Headers.TryGetValue("Azure-AsyncOperation", out var operation) || string.IsNullOrEmpty(operation)) return;
        var delay = RetryAfter(response) ?? options.PollInterval;
        while (true)
        {
            await Task.Delay(delay, clock, ct);
            using var poll = pipeline.CreateMessage();
            poll.Request.Method = RequestMethod.Get;
            poll.Request.Uri.Reset(new Uri(operation));
            await pipeline.SendAsync(poll, ct);
            ThrowIfFailed(poll.Response);
            var status = Json(poll.Response);
            switch (status["status"]?.GetValue<string>())
            {
                case "Succeeded": return;
                case "Failed" or "Canceled":
                    var error = status["error"];
                    throw new ArmException(HttpStatusCode.OK, error?["code"]?.GetValue<string>() ?? status["status"]!.GetValue<string>(),
                        error?["message"]?.GetValue<string>() ?? "the operation did not succeed");
            }
            delay = RetryAfter(poll.Response) ?? options.PollInterval;
        }
    }

    private HttpMessage Message(RequestMethod method, string id)
    {
        var message = pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(Address(id));
        return message;
    }

    private Uri Address(string id) => new(options.Endpoint, $"{id.TrimStart('/')}?api-version={ApiVersion}");

    private void ThrowIfFailed(Response response)
    {
        if (response.Status is >= 200 and < 300) return;
        string code = response.Status.ToString(CultureInfo.InvariantCulture), text = response.ReasonPhrase;
        try
        {
            if (JsonNode.Parse(response.Content.ToString())?["error"] is { } error)
            {
                code = error["code"]?.GetValue<string>() ?? code;
                text = error["message"]?.GetValue<string>() ?? text;
            }
        }
        catch (JsonException)
        {
            // Not ARM's error shape (a proxy, say): the status says enough.
        }
        throw new ArmException((HttpStatusCode)response.Status, code, text, RetryAfter(response));
    }

    private TimeSpan? RetryAfter(Response response)
    {
        if (response.Headers.TryGetValue("retry-after-ms", out var ms) && double.TryParse(ms, CultureInfo.InvariantCulture, out var m))
            return TimeSpan.FromMilliseconds(m);
        if (!response.Headers.TryGetValue("Retry-After", out var value) || string.IsNullOrEmpty(value)) return null;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return TimeSpan.FromSeconds(seconds);
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at - clock.GetUtcNow() is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero
            : null;
    }

    private static JsonObject Json(Response response) =>
        response.Content.ToMemory().Length == 0 ? new JsonObject() : JsonNode.Parse(response.Content.ToString()) as JsonObject ?? new JsonObject();

    private static string? ETag(Response response) =>
        response.Headers.TryGetValue("ETag", out var etag) ? etag : null;
}
