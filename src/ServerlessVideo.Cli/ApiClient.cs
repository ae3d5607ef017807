using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessVideo.Cli;

/// <summary>The running host's HTTP API as the CLI reads it: a host that does not answer is one clear line, not a stack trace.</summary>
public sealed class ApiClient : IDisposable
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly HttpClient _http;

    public ApiClient(Uri api)
    {
        Api = api;
        _http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Api { get; }

    /// <summary>GET <paramref name="path"/>: the status code and the parsed body (null when empty).</summary>
    public async Task<(int Status, JsonNode? Body)> GetAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return ((int)response.StatusCode, string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text));
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"no host answers at {Api} ({ex.Message}); start one with ./sv serve, or pass --api URL", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"the host at {Api} did not answer within {_http.Timeout.TotalSeconds:0} s", ex);
        }
        catch (JsonException ex)
        {
            throw new CliException($"{Api} answered something other than the ServerlessVideo API", ex);
        }
    }

    /// <summary>The API's error body as one line: "not_found: No video 'x'."</summary>
    public static string ErrorLine(int status, JsonNode? body) =>
        body?["error"] is { } code ? $"{code}: {body["message"]}" : $"HTTP {status}";

    public static string Pretty(JsonNode? node) => node?.ToJsonString(Indented) ?? string.Empty;

    public void Dispose() => _http.Dispose();
}
