using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessVideo.Media;

namespace ServerlessVideo.Pipeline.Tests;

public sealed class RegistrationTests
{
    [Theory]
    [InlineData("cuda", null, "cuda")]
    [InlineData("cpu", null, "cpu")]
    [InlineData("cuda", "none", "none")]
    public void Decoding_follows_the_execution_provider_unless_set(string provider, string? decoding, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Pipeline:StorageConnectionString"] = "UseDevelopmentStorage=true",
            ["Inference:ExecutionProvider"] = provider,
            ["Media:HardwareDecoding"] = decoding,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddLogging().AddVideoPipeline(configuration).BuildServiceProvider();
        Assert.Equal(expected, services.GetRequiredService<IOptions<MediaOptions>>().Value.HardwareDecoding);
    }
}
