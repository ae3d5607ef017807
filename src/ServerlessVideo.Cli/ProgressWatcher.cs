using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace ServerlessVideo.Cli;

/// <summary>
/// Polls the HTTP API until every video is Completed or Failed. On a terminal it keeps one live line per video
/// (stage and percent, redrawn in place); when the output is a file or a pipe it prints a plain line per change.
/// </summary>
public static class ProgressWatcher
{
    /// <summary>Whether <paramref name="output"/> is a terminal that can redraw lines.</summary>
    public static bool IsLive(TextWriter output) => ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>The final JSON of each video; a <see cref="CliException"/> past <paramref name="timeout"/>.</summary>
    public static async Task<Dictionary<string, JsonNode>> PollAsync(
        ApiClient api, IReadOnlyList<string> ids, TimeSpan timeout, TextWriter output, CancellationToken cancellationToken)
    {
        var live = IsLive(output);
        var lines = ids.ToDictionary(id => id, _ => string.Empty, StringComparer.Ordinal);
        var final = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        var drawn = false;
        while (final.Count < ids.Count)
        {
            if (watch.Elapsed > timeout)
            {
                throw new CliException($"{ids.Count - final.Count} video(s) not finished after {timeout.TotalSeconds:0} s; ./sv status ID shows where each is");
            }

            foreach (var id in ids.Where(i => !final.ContainsKey(i)))
            {
                var (status, node) = await api.GetAsync($"/api/videos/{id}", cancellationToken);
                var line = "waiting for the host to see the upload";
                if (status == 200 && node is not null)
                {
                    var state = node["status"]!.GetValue<string>();
                    line = node["progress"] is { } p ? $"{state} {p["stage"]} {p["percent"]}%" : state;
                    if (state is "Completed" or "Failed")
                    {
                        final[id] = node;
                        line = Summary(node);
                    }
                }

                if (lines[id] != line)
                {
                    lines[id] = line;
                    if (!live)
                    {
                        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"[{watch.Elapsed.TotalSeconds,6:0.0}s] {id}  {line}"));
                    }
                }
            }

            if (live)
            {
                // Back up over the block drawn last time and redraw it, each line cleared first.
                var block = string.Concat(ids.Select(id => $"\u001b[2K{id}  {lines[id]}\n"));
                await output.WriteAsync((drawn ? $"\u001b[{ids.Count}A" : string.Empty) + block);
                drawn = true;
            }

            if (final.Count < ids.Count)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
            }
        }

        return final;
    }

    /// <summary>Waits, then (when not live) prints one summary line per video; 0 when every video completed.</summary>
    public static async Task<int> WaitAsync(ApiClient api, IReadOnlyList<string> ids, TimeSpan timeout, TextWriter output, CancellationToken cancellationToken)
    {
        var results = await PollAsync(api, ids, timeout, output, cancellationToken);
        if (!IsLive(output))
        {
            foreach (var id in ids)
            {
                await output.WriteLineAsync($"{id}  {Summary(results[id])}");
            }
        }

        return results.Values.All(r => r["status"]!.GetValue<string>() == "Completed") ? 0 : 1;
    }

    /// <summary>"Completed red 0.99 (agreement 1, CPUExecutionProvider)", "Completed unknown (best red) 0.28 (…)" or "Failed EMPTY_FILE: …".</summary>
    public static string Summary(JsonNode video)
    {
        if (video["status"]!.GetValue<string>() != "Completed")
        {
            return $"Failed {video["reasonCode"]}: {video["message"]}";
        }

        // The answer ("unknown" below the open-set threshold) with the best candidate's confidence.
        var top = video["labels"]![0]!;
        var label = video["label"]?.GetValue<string>() is "unknown" ? $"unknown (best {top["label"]})" : top["label"]!.GetValue<string>();
        return string.Create(CultureInfo.InvariantCulture,
            $"Completed {label} {top["confidence"]!.GetValue<double>():0.000} (agreement {video["agreement"]!.GetValue<double>():0.##}, {video["provider"]})");
    }
}
