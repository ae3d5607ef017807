using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace ServerlessVideo.Host.Cli;

/// <summary>Polls the HTTP API until every video is Completed or Failed, printing each change of stage.</summary>
public static class ProgressWatcher
{
    /// <summary>The final JSON of each video; throws <see cref="TimeoutException"/> past <paramref name="timeout"/>.</summary>
    public static async Task<Dictionary<string, JsonNode>> PollAsync(string api, IReadOnlyList<string> ids, TimeSpan timeout, TextWriter output)
    {
        using var http = new HttpClient { BaseAddress = new Uri(api), Timeout = TimeSpan.FromSeconds(30) };
        var last = new Dictionary<string, string>(StringComparer.Ordinal);
        var final = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        while (final.Count < ids.Count)
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"{ids.Count - final.Count} video(s) not finished after {timeout.TotalSeconds:0} s.");
            }

            foreach (var id in ids.Where(i => !final.ContainsKey(i)))
            {
                using var response = await http.GetAsync(new Uri($"/api/videos/{id}", UriKind.Relative));
                var line = "waiting for the watcher";
                if (response.IsSuccessStatusCode)
                {
                    var node = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                    var status = node["status"]!.GetValue<string>();
                    var stage = node["progress"]?["stage"]?.GetValue<string>();
                    var percent = node["progress"]?["percent"]?.GetValue<int>();
                    line = stage is null ? status : $"{status} {stage} {percent}%";
                    if (status is "Completed" or "Failed")
                    {
                        final[id] = node;
                    }
                }

                if (!last.TryGetValue(id, out var previous) || previous != line)
                {
                    last[id] = line;
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  [{watch.Elapsed.TotalSeconds,6:0.0}s] {id}  {line}"));
                }
            }

            if (final.Count < ids.Count)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(300));
            }
        }

        return final;
    }

    /// <summary>Waits, then prints one summary line per video; 0 when every video completed.</summary>
    public static async Task<int> WaitAsync(string api, IReadOnlyList<string> ids, TimeSpan timeout, TextWriter output)
    {
        var results = await PollAsync(api, ids, timeout, output);
        foreach (var id in ids)
        {
            await output.WriteLineAsync($"{id}  {Summary(results[id])}");
        }

        return results.Values.All(r => r["status"]!.GetValue<string>() == "Completed") ? 0 : 1;
    }

    /// <summary>"red 0.99 (agreement 1)" or "Failed EMPTY_FILE: …".</summary>
    public static string Summary(JsonNode video)
    {
        if (video["status"]!.GetValue<string>() != "Completed")
        {
            return $"Failed {video["reasonCode"]}: {video["message"]}";
        }

        var top = video["labels"]![0]!;
        return string.Create(CultureInfo.InvariantCulture,
            $"{top["label"]} {top["confidence"]!.GetValue<double>():0.000} (agreement {video["agreement"]!.GetValue<double>():0.##}, {video["provider"]})");
    }
}
