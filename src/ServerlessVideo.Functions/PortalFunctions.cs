using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessVideo.Pipeline.Api;

namespace ServerlessVideo.Functions;

/// <summary>
/// The results pages (<see cref="PortalFiles"/>) at the local host's paths: <c>/</c>, <c>/videos/{id}</c> and
/// <c>/portal/{file}</c>, which is why host.json sets an empty route prefix and the API's routes start with <c>api/</c>.
/// The pages hold no data, so they need no key; opened as <c>/?code=KEY</c> they pass the key on to the API.
/// </summary>
public static class PortalFunctions
{
    public const string ListPageName = "PortalList";
    public const string VideoPageName = "PortalVideo";
    public const string FileName = "PortalFile";

    /// <summary>The site root: an optional parameter that must be empty is how a Functions route matches <c>/</c>.</summary>
    [Function(ListPageName)]
    public static IActionResult ListPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "{root:maxlength(0)?}")] HttpRequest request) =>
        Send(request, PortalFiles.ListPage);

    [Function(VideoPageName)]
    public static IActionResult VideoPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "videos/{id}")] HttpRequest request,
        string id) =>
        Send(request, PortalFiles.VideoPage);

    [Function(FileName)]
    public static IActionResult File(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "portal/{file}")] HttpRequest request,
        string file) =>
        Send(request, file);

    private static IActionResult Send(HttpRequest request, string file)
    {
        if (PortalFiles.Open(file) is not var (bytes, contentType))
        {
            return new NotFoundResult();
        }

        request.HttpContext.Response.Headers.ContentSecurityPolicy = PortalFiles.ContentSecurityPolicy;
        request.HttpContext.Response.Headers.XContentTypeOptions = "nosniff";
        return new FileContentResult(bytes, contentType);
    }
}
