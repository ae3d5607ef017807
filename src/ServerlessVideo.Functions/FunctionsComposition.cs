using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using ServerlessVideo.Inference;
using ServerlessVideo.Pipeline;

namespace ServerlessVideo.Functions;

/// <summary>Composition of the Functions app: the same options and pipeline services as the local host.</summary>
public static class FunctionsComposition
{
    public static FunctionsApplicationBuilder AddServerlessVideo(this FunctionsApplicationBuilder builder)
    {
        // Relative model folders are relative to the deployed app, where the build copies models/.
        builder.Services.AddVideoPipeline(builder.Configuration)
            .PostConfigure<InferenceOptions>(o => o.ModelsPath = Path.GetFullPath(o.ModelsPath, AppContext.BaseDirectory));
        return builder;
    }
}
