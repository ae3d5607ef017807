using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace ServerlessVideo.Cli.Commands;

/// <summary><c>status ID</c>: one video from the running host, as a summary with its timeline or (<c>--json</c>) the API's JSON.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "the video id (submit prints it)" };
        var api = CliOptions.Api();
        var json = CliOptions.Json();
        var command = new Command("status", "show one video: status, labels, each model's answer, labels over time") { id, api, json };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new ApiClient(parse.GetValue(api)!);
            var (status, body) = await client.GetAsync($"/api/videos/{Uri.EscapeDataString(parse.GetValue(id)!)}", ct);
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

            var text = Summary(body!);
            if (Text(body!["status"]) == "Completed")
            {
                var (timelineStatus, timeline) = await client.GetAsync($"/api/videos/{Uri.EscapeDataString(parse.GetValue(id)!)}/timeline", ct);
                if (timelineStatus == 200 && timeline is not null)
                {
                    text += "\n\n" + Timeline(timeline);
                }
            }

            await output.WriteLineAsync(text);
            return 0;
        });
        return command;
    }

    /// <summary>A few aligned lines a person reads at a glance.</summary>
    public static string Summary(JsonNode video)
    {
        var lines = new List<(string Key, string Value)>
        {
            ("id", Text(video["id"])),
            ("status", video["progress"] is { } p ? $"{video["status"]} ({p["stage"]} {p["percent"]}%)" : Text(video["status"])),
        };
        if (video["reasonCode"] is { } reason)
        {
            lines.Add(("reason", $"{reason}: {video["message"]}"));
        }

        lines.Add(("blob", Text(video["blob"])));
        if (video["media"] is { } m)
        {
            lines.Add(("media", string.Create(CultureInfo.InvariantCulture,
                $"{m["width"]}×{m["height"]}, {Number(m["durationSeconds"]):0.##} s, {Number(m["fps"]):0.##} fps, {m["codec"]} in {m["format"]}")));
        }

        if (Text(video["label"]) == "unknown")
        {
            lines.Add(("answer", "unknown: the consensus is below the open-set threshold (Pipeline__UnknownBelow); its candidates follow"));
        }

        if (video["consensus"] is JsonArray { Count: > 0 } spaces)
        {
            // One block per label space, the video's answer first; spaces are never averaged together.
            foreach (var space in spaces.OfType<JsonNode>())
            {
                lines.Add(("labels", $"{Labels(space["labels"] as JsonArray)}   [{space["labelSpace"]}]"));
                lines.Add(("agreement", string.Create(CultureInfo.InvariantCulture,
                    $"{Number(space["agreement"]):0.##} of {(space["models"] as JsonArray)?.Count} model(s) (majority {space["majorityLabel"]})")));
            }

            lines.Add(("provider", Text(video["provider"])));
        }
        else if (video["labels"] is JsonArray labels)
        {
            lines.Add(("labels", Labels(labels)));
            lines.Add(("agreement", string.Create(CultureInfo.InvariantCulture,
                $"{Number(video["agreement"]):0.##} (majority {video["majorityLabel"]}), on {video["provider"]}")));
        }

        foreach (var model in (video["failedModels"] as JsonArray ?? []).OfType<JsonNode>())
        {
            lines.Add(("failed", $"{model["id"]}: {model["reasonCode"]} {model["message"]}"));
        }

        var text = string.Join('\n', lines.Select(l => $"{l.Key,-10} {l.Value}"));
        if (video["models"] is JsonArray models)
        {
            var table = new TextTable("model", "family", "labels", "clips", "ms");
            foreach (var model in models.OfType<JsonNode>())
            {
                var answer = Text(model["status"]) == "Failed" ? $"FAILED ({model["reasonCode"]})" : Labels(model["labels"] as JsonArray, 2);
                table.Add(Text(model["id"]), Text(model["family"]), answer,
                    Text(model["clips"]), string.Create(CultureInfo.InvariantCulture, $"{Number(model["inferenceMs"]):0}"));
            }

            text += "\n\n" + table;
        }

        return text;
    }

    /// <summary>The video's answer over time (<c>GET /api/videos/{id}/timeline</c>): one line per segment.</summary>
    public static string Timeline(JsonNode timeline)
    {
        var table = new TextTable("from", "to", $"labels over time [{Text(timeline["labelSpace"])}]");
        foreach (var segment in (timeline["segments"] as JsonArray ?? []).OfType<JsonNode>())
        {
            table.Add(
                string.Create(CultureInfo.InvariantCulture, $"{Number(segment["start"]):0.0} s"),
                string.Create(CultureInfo.InvariantCulture, $"{Number(segment["end"]):0.0} s"),
                Labels(segment["labels"] as JsonArray, 2));
        }

        return table.ToString();
    }

    internal static string Labels(JsonArray? labels, int count = 3) => labels is null
        ? string.Empty
        : string.Join(" · ", labels.Take(count).OfType<JsonNode>().Select(l =>
            string.Create(CultureInfo.InvariantCulture, $"{l["label"]} {Number(l["confidence"]):0.00}")));

    internal static string Text(JsonNode? node) => node?.ToString() ?? string.Empty;

    internal static double Number(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? d : double.NaN;
}
