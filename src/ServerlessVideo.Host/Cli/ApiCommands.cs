using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessVideo.Host.Cli;

/// <summary><c>status</c> and <c>list</c>: read a running host's HTTP API and print it.</summary>
public static class ApiCommands
{
    public static async Task<int> StatusAsync(string[] args)
    {
        if (args.Length < 1 || args[0].StartsWith('-'))
        {
            throw new CliException("status needs a video id");
        }

        return await GetAndPrintAsync(args, $"/api/videos/{Uri.EscapeDataString(args[0])}");
    }

    public static Task<int> ListAsync(string[] args) =>
        GetAndPrintAsync(args, $"/api/videos?limit={Uri.EscapeDataString(CliCommands.Option(args, "--limit", "50"))}");

    private static async Task<int> GetAndPrintAsync(string[] args, string path)
    {
        var api = CliCommands.Option(args, "--api", CliCommands.DefaultApi);
        using var http = new HttpClient { BaseAddress = new Uri(api), Timeout = TimeSpan.FromSeconds(30) };
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(new Uri(path, UriKind.Relative));
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"no host answers at {api} ({ex.Message}); start one with ./sv serve", ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            var node = JsonNode.Parse(body);
            Console.WriteLine(node?.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? body);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
    }
}
