using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using ServerlessVideo.Core;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Pipeline.Storage;

namespace ServerlessVideo.Pipeline.Orchestration;

/// <summary>
/// Starts the orchestration for one uploaded blob version, at most once: the instance id derives from
/// (container, name, ETag); a video that already has a row or an instance is left alone, and "already exists" from
/// the scheduler counts as success. Every host's trigger goes through here.
/// </summary>
public sealed partial class VideoStarter(ResultStore results, ILogger<VideoStarter> logger)
{
    public async Task<string> StartAsync(DurableTaskClient client, string container, string blobName, string etag, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var job = new VideoJob(VideoIds.FromBlob(container, blobName, etag), container, blobName, etag.Trim('"'), now);
        var existing = await client.GetInstanceAsync(job.VideoId, getInputsAndOutputs: false, cancellationToken);
        if (existing is not null)
        {
            return job.VideoId;
        }

        var row = await results.GetAsync(job.VideoId, cancellationToken);
        if (row is not null && VideoStatuses.IsFinal(row.Status))
        {
            return job.VideoId;
        }

        await results.TryInsertAsync(new VideoRow
        {
            PartitionKey = job.VideoId,
            Status = VideoStatuses.Queued,
            Container = container,
            BlobName = blobName,
            BlobETag = job.ETag,
            SubmittedAt = now,
        }, cancellationToken);

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                TaskNames.VideoOrchestration, job, new StartOrchestrationOptions(job.VideoId), cancellationToken);
            LogStarted(logger, job.VideoId, blobName);
        }
        catch (Exception ex) when (IsAlreadyExists(ex))
        {
            LogAlreadyStarted(logger, job.VideoId);
        }

        return job.VideoId;
    }

    private static bool IsAlreadyExists(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e.GetType().Name.Contains("AlreadyExists", StringComparison.Ordinal)
                || e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started video {VideoId} for blob {BlobName}")]
    private static partial void LogStarted(ILogger logger, string videoId, string blobName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Video {VideoId} was already started")]
    private static partial void LogAlreadyStarted(ILogger logger, string videoId);
}
