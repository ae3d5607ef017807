using Microsoft.Extensions.Logging.Abstractions;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Media.Tests;

/// <summary>
/// Frames must never vanish between ffmpeg and the clip tensor. Under CPU load, a pipe that stopped being read when
/// ffmpeg exited came back empty in about one run in ten; these tests repeat the sampled-time extraction while every
/// core is busy, and check that a shortfall against ffmpeg's own frame count is reported as transient, not as
/// "past the end".
/// </summary>
public sealed class FrameLossTests : IDisposable
{
    /// <summary>Runs per decode path; <c>SV_FRAME_STRESS_RUNS</c> raises it for a longer soak.</summary>
    private static readonly int Runs = int.TryParse(Environment.GetEnvironmentVariable("SV_FRAME_STRESS_RUNS"), out var n) ? n : 25;

    private readonly TempFolder _temp = new();
    private readonly FrameSource _extractor = TestFrameSource.Create();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(0.25)] // ranges around each time, GOP-aware
    [InlineData(1.0)]  // one range
    public async Task Sampled_frames_arrive_every_time_while_the_cpu_is_busy(double fps)
    {
        var path = await TestVideos.RedThenBlueAsync(_temp.Path);
        var view = new FrameView(Fps: fps, ResizeShortSide: 32, CropSize: 32, ClipLength: 4);
        string[] expected = fps < 0.5 ? ["red", "blue", "blue", "blue"] : ["red", "red", "blue", "blue"];
        using var load = new CpuLoad(Environment.ProcessorCount);
        var failures = new List<string>();
        var gate = new SemaphoreSlim(2);
        var runs = Enumerable.Range(0, Runs).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var clip = await _extractor.ExtractAsync(path, view, new ClipSpan(0, 8.5), CancellationToken.None);
                var colours = Enumerable.Range(0, 4)
                    .Select(t => clip.Data.AsSpan(t * clip.FrameBytes, clip.FrameBytes).ToArray())
                    .Select(f => Mean(f, 0) > Mean(f, 2) ? "red" : "blue")
                    .ToArray();
                if (!colours.SequenceEqual(expected))
                {
                    lock (failures)
                    {
                        failures.Add($"run {i}: {string.Join(",", colours)}");
                    }
                }
            }
            catch (Exception ex) when (ex is MediaRejectedException or FramesLostException)
            {
                lock (failures)
                {
                    failures.Add($"run {i}: {ex.Message}");
                }
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(runs);
        Assert.True(failures.Count == 0, $"{failures.Count} of {Runs} runs lost frames:\n{string.Join('\n', failures.Take(10))}");
    }

    [Fact]
    public async Task Fewer_bytes_than_ffmpeg_reports_is_a_transient_loss_not_the_end_of_the_video()
    {
        // A stand-in ffmpeg that says it wrote one frame and writes nothing: exactly the loss a dropped pipe causes.
        var bin = Directory.CreateDirectory(Path.Combine(_temp.Path, "bin")).FullName;
        var script = Path.Combine(bin, "ffmpeg");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho frame=1 >&2\necho progress=end >&2\nexit 0\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var extractor = TestFrameSource.Create(new MediaOptions { BinaryFolder = bin });
        var view = new FrameView(Fps: 4, ResizeShortSide: 32, CropSize: 32, ClipLength: 4);
        var probe = new VideoProbe(1, 25, 160, 120, 0, "h264", "mov,mp4,m4a,3gp,3g2,mj2", 1000);
        var ex = await Assert.ThrowsAsync<FramesLostException>(() => extractor.ExtractAsync(script, probe, [new ClipRequest(view, new ClipSpan(0, 0))], CancellationToken.None));
        Assert.Contains("reported 1 frames", ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(ex); // retried by the orchestration, unlike a MediaRejectedException
    }

    [Fact]
    public async Task No_frame_reported_and_none_received_is_past_the_end()
    {
        var path = await TestVideos.ColourAsync(_temp.Path, "red", 160, 120, 10, 1);
        var run = await RunAsync(path, seek: "30");
        Assert.Equal((0, 0L, 0L), (run.ExitCode, run.OutputBytes, run.ReportedFrames ?? -1));
    }

    [Fact]
    public async Task Every_byte_ffmpeg_writes_is_read_and_matches_its_frame_count()
    {
        var path = await TestVideos.ColourAsync(_temp.Path, "red", 160, 120, 10, 1);
        var run = await RunAsync(path, seek: "0");
        Assert.Equal((0, 10L * 160 * 120 * 3, 10L), (run.ExitCode, run.OutputBytes, run.ReportedFrames ?? -1));
    }

    private static async Task<FfmpegRun> RunAsync(string path, string seek)
    {
        using var sink = new MemoryStream();
        return await FfmpegProcess.RunAsync(null,
            [.. MediaInput.File(path).InputArguments, "-ss", seek, "-i", MediaInput.File(path).Url, "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1"],
            sink, CancellationToken.None);
    }

    private static double Mean(byte[] frame, int channel)
    {
        long sum = 0;
        for (var i = channel; i < frame.Length; i += 3)
        {
            sum += frame[i];
        }

        return sum / (frame.Length / 3.0);
    }

    /// <summary>Busy threads, one per core, until disposed.</summary>
    private sealed class CpuLoad : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread[] _threads;

        public CpuLoad(int threads)
        {
            _threads = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    Thread.SpinWait(10_000);
                }
            }) { IsBackground = true, Priority = ThreadPriority.BelowNormal }).ToArray();
            foreach (var t in _threads)
            {
                t.Start();
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            foreach (var t in _threads)
            {
                t.Join();
            }

            _stop.Dispose();
        }
    }
}
