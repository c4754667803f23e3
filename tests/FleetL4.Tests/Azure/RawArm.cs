using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FleetL4.FakeArm;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Azure;

/// <summary>Plain HTTP against the fake ARM (what ARM sees on the wire), with LRO polling by hand.</summary>
internal sealed class RawArm(FakeArmServer arm) : IDisposable
{
    private readonly HttpClient _http = arm.CreateHttpClient();

    public HttpClient Http => _http;

    public Task<Answer> Get(string path, string apiVersion = ArmBodies.ApiVersion) => Send(HttpMethod.Get, path, null, apiVersion);

    public Task<Answer> Put(string path, JsonObject body, string? ifMatch = null, string? ifNoneMatch = null) =>
        Send(HttpMethod.Put, path, body, ArmBodies.ApiVersion, ifMatch, ifNoneMatch);

    public Task<Answer> Delete(string path, string? ifMatch = null) => Send(HttpMethod.Delete, path, null, ArmBodies.ApiVersion, ifMatch);

    public async Task<Answer> Send(HttpMethod method, string path, JsonObject? body, string? apiVersion, string? ifMatch = null, string? ifNoneMatch = null)
    {
        var uri = apiVersion is null ? path : $"{path}?api-version={apiVersion}";
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return await Answer.Read(await _http.SendAsync(request));
    }

    /// <summary>PUTs and polls its Azure-AsyncOperation until it ends; returns the final operation status.</summary>
    public async Task<(Answer Put, JsonObject Operation)> PutAndWait(string path, JsonObject body, string? ifMatch = null)
    {
        var put = await Put(path, body, ifMatch);
        if (!put.IsSuccess) throw new InvalidOperationException($"PUT {path} failed: {put}");
        return (put, await Wait(put));
    }

    public async Task<JsonObject> Wait(Answer accepted)
    {
        var url = accepted.Header("Azure-AsyncOperation") ?? throw new InvalidOperationException($"no Azure-AsyncOperation in {accepted}");
        var done = await Eventually.Get(async () => (await Answer.Read(await _http.GetAsync(url))).Json,
            status => status["status"]!.GetValue<string>() != "InProgress", $"operation {url} to end");
        return done;
    }

    public void Dispose() => _http.Dispose();

    internal sealed record Answer(HttpStatusCode Status, JsonObject Json, HttpResponseMessage Response)
    {
        public bool IsSuccess => (int)Status < 300;

        public string? ErrorCode => Json["error"]?["code"]?.GetValue<string>();

        public string? Header(string name) => Response.Headers.TryGetValues(name, out var values) ? values.First() : null;

        public static async Task<Answer> Read(HttpResponseMessage response)
        {
            var text = await response.Content.ReadAsStringAsync();
            var json = text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!.AsObject();
            return new Answer(response.StatusCode, json, response);
        }

        public override string ToString() => $"{(int)Status} {Json.ToJsonString()}";
    }
}
