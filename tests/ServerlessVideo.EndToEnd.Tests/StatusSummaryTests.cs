using System.Text.Json.Nodes;
using ServerlessVideo.Cli.Commands;

namespace ServerlessVideo.EndToEnd.Tests;

/// <summary><c>sv status</c>'s readable summary of a video's JSON.</summary>
public sealed class StatusSummaryTests
{
    [Fact]
    public void Each_label_space_is_its_own_line_with_its_agreement()
    {
        var video = JsonNode.Parse("""
            {
              "id": "v1", "status": "Completed", "blob": "videos/a.mp4", "provider": "CPUExecutionProvider",
              "labels": [ { "label": "spin", "confidence": 0.9 } ], "majorityLabel": "spin", "agreement": 1,
              "consensus": [
                { "labelSpace": "synthmotion", "models": ["a", "b"], "labels": [ { "label": "spin", "confidence": 0.9 } ], "majorityLabel": "spin", "agreement": 1 },
                { "labelSpace": "kinetics-400", "models": ["r3d"], "labels": [ { "label": "juggling balls", "confidence": 0.31 } ], "majorityLabel": "juggling balls", "agreement": 1 }
              ]
            }
            """)!;

        var lines = StatusCommand.Summary(video).Split('\n');

        Assert.Contains(lines, l => l.StartsWith("labels", StringComparison.Ordinal) && l.Contains("spin 0.90") && l.EndsWith("[synthmotion]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("labels", StringComparison.Ordinal) && l.Contains("juggling balls 0.31") && l.EndsWith("[kinetics-400]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("agreement", StringComparison.Ordinal) && l.Contains("1 of 2 model(s)"));
        Assert.Contains(lines, l => l.StartsWith("provider", StringComparison.Ordinal) && l.Contains("CPUExecutionProvider"));
        var first = Array.FindIndex(lines, l => l.Contains("[synthmotion]"));
        Assert.True(first >= 0 && first < Array.FindIndex(lines, l => l.Contains("[kinetics-400]")), "the video's answer comes first");
    }

    [Fact]
    public void The_timeline_is_one_line_per_segment_with_its_times_and_best_labels()
    {
        var timeline = JsonNode.Parse("""
            {
              "id": "v1", "durationSeconds": 18, "labelSpace": "colours",
              "segments": [
                { "start": 0, "end": 6, "labels": [ { "label": "red", "confidence": 0.93 }, { "label": "blue", "confidence": 0.04 } ] },
                { "start": 6, "end": 18, "labels": [ { "label": "green", "confidence": 0.81 } ] }
              ]
            }
            """)!;

        var lines = StatusCommand.Timeline(timeline).Split('\n');

        Assert.Contains("labels over time [colours]", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("0.0 s") && l.Contains("6.0 s") && l.Contains("red 0.93 · blue 0.04"));
        Assert.Contains(lines, l => l.Contains("6.0 s") && l.Contains("18.0 s") && l.Contains("green 0.81"));
    }
}
