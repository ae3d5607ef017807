using System.Net.Sockets;
using Azure;

namespace ServerlessVideo.Pipeline.Storage;

/// <summary>Recognises "storage did not answer" among the shapes the Azure SDK and the durable backend throw it in.</summary>
public static class StorageFailures
{
    /// <summary>
    /// True for a failed or unanswered storage call: <see cref="RequestFailedException"/> (any status but 404, which
    /// callers handle), connection and socket errors, timeouts, and the <see cref="AggregateException"/> the SDK throws
    /// once its retries are spent, or any of these wrapped by another library (the durable backend wraps them in its
    /// own exception type).
    /// </summary>
    public static bool IsStorageFailure(Exception? exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case RequestFailedException { Status: not 404 }:
                case HttpRequestException:
                case SocketException:
                case IOException:
                case TimeoutException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                    return aggregate.InnerExceptions.All(IsStorageFailure);
                default:
                    break;
            }
        }

        return false;
    }
}
