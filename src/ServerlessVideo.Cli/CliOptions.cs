using System.CommandLine;
using ServerlessVideo.Host;

namespace ServerlessVideo.Cli;

/// <summary>Options several commands share.</summary>
public static class CliOptions
{
    /// <summary>
    /// The running host's API: <c>SV_API</c> (which <c>./sv</c> sets from the URL its <c>serve</c> listens on), else
    /// the local host's default.
    /// </summary>
    public static Uri DefaultApi => new(
        Environment.GetEnvironmentVariable("SV_API") is { Length: > 0 } api ? api.TrimEnd('/') : HostComposition.DefaultUrl);

    public static Option<Uri> Api() => new("--api")
    {
        Description = "the running host's URL (default: where ./sv serve listens, else " + HostComposition.DefaultUrl + ")",
        DefaultValueFactory = _ => DefaultApi,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                return uri;
            }

            result.AddError($"--api takes an http(s) URL such as {HostComposition.DefaultUrl}, not '{text}'");
            return null;
        },
        HelpName = "URL",
    };

    public static Option<bool> Json() => new("--json") { Description = "print the API's JSON instead of a table" };
}
