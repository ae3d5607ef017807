using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace ServerlessVideo.Cli.Commands;

/// <summary><c>list</c>: one page of videos from the running host and how to ask for the next.</summary>
public static class ListCommand
{
    public static Command Create()
    {
        var limit = new Option<int>("--limit") { Description = "videos per page (1–500)", DefaultValueFactory = _ => 50 };
        var cursor = new Option<string?>("--cursor") { Description = "the cursor a previous page printed" };
        var api = CliOptions.Api();
        var json = CliOptions.Json();
        var command = new Command("list", "list videos, one page at a time") { limit, cursor, api, json };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new ApiClient(parse.GetValue(api)!);
            var path = string.Create(CultureInfo.InvariantCulture, $"/api/videos?limit={parse.GetValue(limit)}");
            if (parse.GetValue(cursor) is { Length: > 0 } c)
            {
                path += "&cursor=" + Uri.EscapeDataString(c);
            }

            var (status, body) = await client.GetAsync(path, ct);
            var output = parse.InvocationConfiguration.Output;
            if (status != 200)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"sv: {ApiClient.ErrorLine(status, body)}");
                return 1;
            }

            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(ApiClient.Pretty(body));
                return 0;
            }

            var table = new TextTable("id", "status", "label", "blob");
            foreach (var video in (body!["items"] as JsonArray ?? []).OfType<JsonNode>())
            {
                var label = video["labels"] is JsonArray labels ? StatusCommand.Labels(labels, 1) : StatusCommand.Text(video["reasonCode"]);
                table.Add(StatusCommand.Text(video["id"]), StatusCommand.Text(video["status"]), label, StatusCommand.Text(video["blob"]));
            }

            await output.WriteLineAsync(table.ToString());
            if (body["next"] is { } next)
            {
                await output.WriteLineAsync($"next page: ./sv list --limit {parse.GetValue(limit)} --cursor {next}");
            }

            return 0;
        });
        return command;
    }
}
