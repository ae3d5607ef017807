namespace ServerlessVideo.Host.Http;

/// <summary>
/// The results pages over the JSON API: <c>/</c> lists videos (live while any runs), <c>/videos/{id}</c> shows one
/// (consensus and per-model bars, labels over time, shots). Static files from the assembly, under a content policy
/// that allows nothing but this host.
/// </summary>
public static class PortalEndpoints
{
    private const string Policy = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

    private static readonly Dictionary<string, string> Files = new(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["video.html"] = "text/html; charset=utf-8",
        ["portal.js"] = "text/javascript; charset=utf-8",
        ["portal.css"] = "text/css; charset=utf-8",
    };

    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpResponse http) => Send(http, "index.html"));
        app.MapGet("/videos/{id}", (string id, HttpResponse http) => Send(http, "video.html"));
        app.MapGet("/portal/{file}", (string file, HttpResponse http) => Files.ContainsKey(file) ? Send(http, file) : Results.NotFound());
        return app;
    }

    private static IResult Send(HttpResponse http, string file)
    {
        http.Headers.ContentSecurityPolicy = Policy;
        http.Headers.XContentTypeOptions = "nosniff";
        var stream = typeof(PortalEndpoints).Assembly.GetManifestResourceStream($"Portal/{file}")
            ?? throw new InvalidOperationException($"The page '{file}' is not in the assembly.");
        return Results.Stream(stream, Files[file]);
    }
}
