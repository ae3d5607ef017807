using ServerlessVideo.Pipeline.Api;

namespace ServerlessVideo.Host.Http;

/// <summary>Maps the results pages (<see cref="PortalFiles"/>) onto minimal-API routes, the same paths as the Functions app.</summary>
public static class PortalEndpoints
{
    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpResponse http) => Send(http, PortalFiles.ListPage));
        app.MapGet("/videos/{id}", (string id, HttpResponse http) => Send(http, PortalFiles.VideoPage));
        app.MapGet("/portal/{file}", (string file, HttpResponse http) => Send(http, file));
        return app;
    }

    private static IResult Send(HttpResponse http, string file)
    {
        if (PortalFiles.Open(file) is not var (bytes, contentType))
        {
            return Results.NotFound();
        }

        http.Headers.ContentSecurityPolicy = PortalFiles.ContentSecurityPolicy;
        http.Headers.XContentTypeOptions = "nosniff";
        return Results.File(bytes, contentType);
    }
}
