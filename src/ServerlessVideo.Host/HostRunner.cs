using System.Runtime.InteropServices;

namespace ServerlessVideo.Host;

/// <summary>Runs the worker host until it is stopped: what <c>sv-host serve</c> and <c>sv serve</c> both do.</summary>
public static class HostRunner
{
    /// <summary>Beyond the shutdown timeout: the forced stop of the durable worker and the rest of the shutdown.</summary>
    private static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Builds and starts the host (settings as environment variables or <c>--Section:Key=value</c>; <c>--urls</c>),
    /// prints where it listens, and returns when it has stopped. The first SIGINT/SIGTERM stops it gracefully within
    /// <see cref="LocalHostOptions.ShutdownTimeout"/> (the process ends <see cref="StopMargin"/> later whatever is still
    /// stopping); a second one ends the process at once.
    /// </summary>
    public static async Task<int> ServeAsync(string[] args, TextWriter output)
    {
        await using var app = HostComposition.Build(args);
        HostComposition.WarmUp(app);
        // The graceful stop is bounded, but parts of the durable backend wait on storage while they stop: with storage
        // gone, one signal left the process running for minutes. Past the bound, the process ends anyway.
        var limit = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<LocalHostOptions>>().Value.ShutdownTimeout + StopMargin;
        var signals = 0;
        void Force(PosixSignalContext context)
        {
            if (Interlocked.Increment(ref signals) > 1)
            {
                Console.Error.WriteLine("sv-host: second signal, exiting now");
                Environment.Exit(130);
            }

            _ = Task.Run(async () =>
            {
                await Task.Delay(limit);
                Console.Error.WriteLine($"sv-host: not stopped {limit.TotalSeconds:0} s after the signal (is storage reachable?); exiting now");
                Environment.Exit(1);
            });
        }

        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Force);
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Force);
        await app.StartAsync();
        await output.WriteLineAsync($"sv-host: listening on {string.Join(", ", app.Urls)}");
        await app.WaitForShutdownAsync();
        return 0;
    }
}
