namespace ServerlessVideo.Core.Planning;

/// <summary>
/// The frame indices the reference libraries' test-time sampling picks from a video of <c>totalFrames</c> frames, index
/// for index (checked against the libraries' own code in ReferenceSamplingTests).
/// </summary>
public static class ReferenceSampling
{
    /// <summary>
    /// mmaction2's <c>SampleFrames(clip_len, frame_interval, num_clips, test_mode=True)</c> (1.x, out_of_bound_opt
    /// 'loop'): a 3D model's clips start at round(k · max_offset / (num_clips − 1)) (half to even), or at
    /// max_offset // 2 for one clip, with max_offset = max(total − ((clip_len − 1) · interval + 1), 0); a 2D model's
    /// (clip_len 1: TSN's segments) at k · total / num_clips + total / (2 · num_clips), truncated. Indices wrap modulo
    /// the frame count.
    /// </summary>
    public static int[][] Mmaction2(long totalFrames, int clipLength, int frameInterval, int numClips)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalFrames, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(clipLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameInterval, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClips, 1);
        var offsets = new double[numClips];
        if (clipLength == 1)
        {
            var average = totalFrames / (double)numClips;
            for (var k = 0; k < numClips; k++)
            {
                offsets[k] = (k * average) + (average / 2.0);
            }
        }
        else
        {
            var original = ((clipLength - 1) * frameInterval) + 1;
            var maxOffset = Math.Max(totalFrames - original, 0);
            if (numClips > 1)
            {
                var between = maxOffset / (double)(numClips - 1);
                for (var k = 0; k < numClips; k++)
                {
                    offsets[k] = Math.Round(k * between, MidpointRounding.ToEven);
                }
            }
            else
            {
                offsets[0] = maxOffset / 2;
            }
        }

        return [.. offsets.Select(o => Enumerable.Range(0, clipLength)
            .Select(j => (int)Mod(o + ((double)j * frameInterval), totalFrames))
            .ToArray())];

        // numpy's mod: the result takes the divisor's sign.
        static double Mod(double x, long n) => x - (n * Math.Floor(x / n));
    }

    /// <summary>
    /// torchvision's reference evaluation: <c>VideoClips(frames_per_clip=clip_len, step_between_clips=1,
    /// frame_rate=frame_rate)</c> resamples the video to <paramref name="frameRate"/> (frame ⌊r · fps / frame_rate⌋,
    /// in float32; every step-th frame when the step is whole) and cuts every window of <paramref name="clipLength"/>;
    /// <c>UniformClipSampler(clips_per_video)</c> takes windows ⌊linspace(0, windows − 1, clips)⌋ (float32). No clip when
    /// the video has fewer resampled frames than a clip (torchvision skips such a video).
    /// </summary>
    public static int[][] Torchvision(long totalFrames, double fps, double frameRate, int clipLength, int numClips)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalFrames, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(clipLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClips, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameRate);
        var step = fps / frameRate;
        long[] resampled;
        if (step == Math.Floor(step))
        {
            var whole = (long)step;
            resampled = [.. Enumerable.Range(0, (int)((totalFrames + whole - 1) / whole)).Select(r => r * whole)];
        }
        else
        {
            var count = (long)Math.Floor(totalFrames * (frameRate / fps));
            var stepF = (float)step;
            resampled = [.. Enumerable.Range(0, (int)count).Select(r => (long)MathF.Floor(r * stepF))];
        }

        var windows = resampled.Length - clipLength + 1;
        if (windows <= 0)
        {
            return [];
        }

        return [.. Linspace(0, windows - 1, numClips)
            .Select(w => (int)MathF.Floor(w))
            .Select(start => resampled.Skip(start).Take(clipLength).Select(i => (int)i).ToArray())];
    }

    /// <summary><c>torch.linspace</c> in float32: the first half counted from the start, the second from the end.</summary>
    private static float[] Linspace(float start, float end, int steps)
    {
        if (steps == 1)
        {
            return [start];
        }

        var step = (end - start) / (steps - 1);
        var halfway = steps / 2;
        return [.. Enumerable.Range(0, steps).Select(i => i < halfway ? start + (step * i) : end - (step * (steps - i - 1)))];
    }
}
