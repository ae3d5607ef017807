using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace ServerlessVideo.Cli.Commands;

/// <summary><c>list</c>: one page of videos from the running host, newest first, filtered, and how to ask for the next.</summary>
public static class ListCommand
{
    public static Command Create()
    {
        var limit = new Option<int>("--limit") { Description = "videos per page (1–500)", DefaultValueFactory = _ => 50 };
        var cursor = new Option<string?>("--cursor") { Description = "the cursor a previous page printed" };
        var status = new Option<string?>("--status") { Description = "only videos in this status: Queued, Running, Completed or Failed" };
        var label = new Option<string?>("--label") { Description = "only videos whose top label is this one" };
        var minConfidence = new Option<double?>("--min-confidence") { Description = "with --label: any of the video's labels, at this confidence or more (0–1)" };
        var api = CliOptions.Api();
        var json = CliOptions.Json();
        var command = new Command("list", "list videos, newest first, one page at a time") { limit, cursor, status, label, minConfidence, api, json };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new ApiClient(parse.GetValue(api)!);
            // Each filter given: its option (repeated in the next page's command) and the API's query parameter.
            var filters = new (string Option, string Query, string? Value)[]
            {
                ("--status", "status", parse.GetValue(status)),
                ("--label", "label", parse.GetValue(label)),
                ("--min-confidence", "minConfidence", parse.GetValue(minConfidence)?.ToString(CultureInfo.InvariantCulture)),
            }.Where(f => !string.IsNullOrEmpty(f.Value)).ToList();
            var path = string.Create(CultureInfo.InvariantCulture, $"/api/videos?limit={parse.GetValue(limit)}")
                + string.Concat(filters.Select(f => $"&{f.Query}={Uri.EscapeDataString(f.Value!)}"));
            if (parse.GetValue(cursor) is { Length: > 0 } c)
            {
                path += "&cursor=" + Uri.EscapeDataString(c);
            }

            var (code, body) = await client.GetAsync(path, ct);
            var output = parse.InvocationConfiguration.Output;
            if (code != 200)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"sv: {ApiClient.ErrorLine(code, body)}");
                return 1;
            }

            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(ApiClient.Pretty(body));
                return 0;
            }

            await output.WriteLineAsync(Table(body!));
            if (body!["next"] is { } next)
            {
                var again = string.Join(' ', filters.Select(f => $"{f.Option} {f.Value}").Prepend($"--limit {parse.GetValue(limit)}"));
                await output.WriteLineAsync($"next page: ./sv list {again} --cursor {next}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>One line per video: id, status (or stage while it runs), top label and confidence (or why it failed), duration, submitted.</summary>
    public static string Table(JsonNode page)
    {
        var table = new TextTable("id", "status", "top label", "confidence", "duration", "submitted");
        foreach (var video in (page["items"] as JsonArray ?? []).OfType<JsonNode>())
        {
            var top = (video["labels"] as JsonArray)?.FirstOrDefault();
            var status = video["progress"] is { } p ? $"{video["status"]} ({p["stage"]} {p["percent"]}%)" : StatusCommand.Text(video["status"]);
            var duration = StatusCommand.Number(video["media"]?["durationSeconds"]);
            var submitted = video["submittedAt"] is JsonValue v && v.TryGetValue<DateTimeOffset>(out var at)
                ? at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
                : string.Empty;
            table.Add(
                StatusCommand.Text(video["id"]),
                status,
                top is null ? StatusCommand.Text(video["reasonCode"]) : StatusCommand.Text(video["label"] ?? top["label"]),
                top is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"{StatusCommand.Number(top["confidence"]):0.00}"),
                double.IsNaN(duration) ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"{duration:0.0} s"),
                submitted);
        }

        return table.ToString();
    }
}
