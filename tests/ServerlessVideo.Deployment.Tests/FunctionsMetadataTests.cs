using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.DurableTask;
using ServerlessVideo.Functions;
using ServerlessVideo.Pipeline;

namespace ServerlessVideo.Deployment.Tests;

/// <summary>The Functions app's wiring as its build describes it in <c>functions.metadata</c>.</summary>
public sealed class FunctionsMetadataTests
{
    private static readonly JsonArray Functions = (JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(BuildOutputs.FunctionsBin, "functions.metadata")))!;

    private static JsonObject Function(string name) =>
        Functions.Select(f => f!.AsObject()).SingleOrDefault(f => f["name"]!.GetValue<string>() == name)
        ?? throw new Xunit.Sdk.XunitException($"functions.metadata has no function '{name}'.");

    private static JsonObject Binding(JsonObject function, string type) =>
        function["bindings"]!.AsArray().Select(b => b!.AsObject()).Single(b => b["type"]!.GetValue<string>() == type);

    private static IEnumerable<string> NamesWithTrigger(string type) =>
        Functions.Where(f => f!["bindings"]!.AsArray().Any(b => b!["type"]!.GetValue<string>() == type)).Select(f => f!["name"]!.GetValue<string>());

    [Fact]
    public void The_blob_trigger_listens_to_event_grid_on_the_videos_container_with_a_durable_client()
    {
        var function = Function(VideoUploadTrigger.Name);
        var trigger = Binding(function, "blobTrigger");
        Assert.Equal("videos/{name}", trigger["path"]!.GetValue<string>());
        Assert.Equal("EventGrid", trigger["source"]!.GetValue<string>());
        Assert.Equal("VideoStorage", trigger["connection"]!.GetValue<string>());
        Assert.Equal("In", Binding(function, "durableClient")["direction"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(VideoHttpFunctions.GetVideoName, "api/videos/{id}", true)]
    [InlineData(VideoHttpFunctions.GetTimelineName, "api/videos/{id}/timeline", false)]
    [InlineData(VideoHttpFunctions.GetShotsName, "api/videos/{id}/shots", false)]
    [InlineData(VideoHttpFunctions.GetPictureName, "api/videos/{id}/pictures/{name}", false)]
    [InlineData(VideoHttpFunctions.ListVideosName, "api/videos", true)]
    public void Http_functions_serve_the_local_hosts_routes(string name, string route, bool readsOrchestrations)
    {
        var function = Function(name);
        var trigger = Binding(function, "httpTrigger");
        Assert.Equal(route, trigger["route"]!.GetValue<string>());
        Assert.Equal(["get"], trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(readsOrchestrations, function["bindings"]!.AsArray().Any(b => b!["type"]!.GetValue<string>() == "durableClient"));
        Assert.Equal("Out", Binding(function, "http")["direction"]!.GetValue<string>());
        Assert.Equal("Function", trigger["authLevel"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(PortalFunctions.ListPageName, "{root:maxlength(0)?}")]
    [InlineData(PortalFunctions.VideoPageName, "videos/{id}")]
    [InlineData(PortalFunctions.FileName, "portal/{file}")]
    public void The_results_pages_are_served_at_the_local_hosts_paths_without_a_key(string name, string route)
    {
        var trigger = Binding(Function(name), "httpTrigger");
        Assert.Equal(route, trigger["route"]!.GetValue<string>());
        Assert.Equal(["get"], trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal("Anonymous", trigger["authLevel"]!.GetValue<string>());
    }

    [Fact]
    public void Routes_start_at_the_site_root_so_the_pages_can_take_it()
    {
        var shipped = JsonNode.Parse(File.ReadAllText(Path.Combine(BuildOutputs.FunctionsBin, "host.json")))!;
        Assert.Equal(string.Empty, shipped["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(VideoHttpFunctions.DeleteVideoName, "api/videos/{id}", "delete")]
    [InlineData(VideoHttpFunctions.ReprocessVideoName, "api/videos/{id}/reprocess", "post")]
    public void Functions_that_change_a_video_serve_the_local_hosts_routes_and_methods(string name, string route, string method)
    {
        var function = Function(name);
        var trigger = Binding(function, "httpTrigger");
        Assert.Equal(route, trigger["route"]!.GetValue<string>());
        Assert.Equal([method], trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
        Binding(function, "durableClient");
    }

    [Fact]
    public void The_health_function_serves_the_local_hosts_health_route()
    {
        var function = Function(VideoHttpFunctions.HealthName);
        var trigger = Binding(function, "httpTrigger");
        Assert.Equal("api/health", trigger["route"]!.GetValue<string>());
        Assert.Equal(["get"], trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal("Out", Binding(function, "http")["direction"]!.GetValue<string>());
    }

    [Fact]
    public void Every_http_function_is_one_the_local_host_also_serves()
    {
        Assert.Equal(
            [
                VideoHttpFunctions.DeleteVideoName, VideoHttpFunctions.GetPictureName, VideoHttpFunctions.GetShotsName, VideoHttpFunctions.GetTimelineName, VideoHttpFunctions.GetVideoName,
                VideoHttpFunctions.HealthName, VideoHttpFunctions.ListVideosName, PortalFunctions.FileName, PortalFunctions.ListPageName, PortalFunctions.VideoPageName, VideoHttpFunctions.ReprocessVideoName,
            ],
            NamesWithTrigger("httpTrigger").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_task_the_local_host_registers_has_a_function_of_the_same_name_and_trigger_and_no_more()
    {
        var registry = new DurableTaskRegistry().AddVideoTasks();
        Assert.Equal(RegisteredNames(registry, "Orchestrators").Order(), NamesWithTrigger("orchestrationTrigger").Order());
        Assert.Equal(RegisteredNames(registry, "Activities").Order(), NamesWithTrigger("activityTrigger").Order());
        Assert.Equal(TaskNames.Activities.Order(), NamesWithTrigger("activityTrigger").Order());
        Assert.Equal([TaskNames.VideoOrchestration, TaskNames.AdmissionWatch], NamesWithTrigger("orchestrationTrigger").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_repository_host_json_is_what_the_app_ships()
    {
        var shipped = File.ReadAllText(Path.Combine(BuildOutputs.FunctionsBin, "host.json"));
        Assert.Equal(File.ReadAllText(Path.Combine(Testing.RepoPaths.Root, "host.json")), shipped);
        var hub = JsonNode.Parse(shipped)!["extensions"]!["durableTask"]!["hubName"]!.GetValue<string>();
        Assert.Equal(new Host.LocalHostOptions().TaskHub, hub);
    }

    [Fact]
    public void The_built_in_models_ship_with_the_app()
    {
        var committed = Testing.RepoPaths.BuiltInModelIds;
        Assert.NotEmpty(committed);
        Assert.All(committed, id => Assert.True(File.Exists(Path.Combine(BuildOutputs.FunctionsBin, "models", id!, "model.onnx")), $"{id} not shipped"));
    }

    /// <summary>DurableTaskRegistry keeps its registrations internal; the names are the dictionary keys.</summary>
    private static IEnumerable<string> RegisteredNames(DurableTaskRegistry registry, string property)
    {
        var value = typeof(DurableTaskRegistry).GetProperty(property, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)?.GetValue(registry)
            ?? throw new InvalidOperationException($"DurableTaskRegistry.{property} not found.");
        return ((System.Collections.IEnumerable)value).Cast<object>()
            .Select(kv => kv.GetType().GetProperty("Key")!.GetValue(kv)!.ToString()!);
    }
}
