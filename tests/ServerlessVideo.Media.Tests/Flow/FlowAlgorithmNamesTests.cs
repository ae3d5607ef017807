using ServerlessVideo.Media.Flow;

namespace ServerlessVideo.Media.Tests.Flow;

public sealed class FlowAlgorithmNamesTests
{
    [Theory]
    [InlineData("farneback", FlowAlgorithm.Farneback)]
    [InlineData("tvl1", FlowAlgorithm.TvL1)]
    public void Manifest_names_round_trip(string name, FlowAlgorithm algorithm)
    {
        Assert.Equal(algorithm, FlowAlgorithmNames.Parse(name));
        Assert.Equal(name, FlowAlgorithmNames.ToName(algorithm));
    }

    [Theory]
    [InlineData("TV-L1")]
    [InlineData("dis")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_names_fail_with_the_allowed_names(string? name)
    {
        Assert.False(FlowAlgorithmNames.TryParse(name, out _));
        var error = Assert.Throws<ArgumentException>(() => FlowAlgorithmNames.Parse(name));
        Assert.Contains("\"farneback\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"tvl1\"", error.Message, StringComparison.Ordinal);
    }
}
