namespace ServerlessVideo.Gate.Tests;

/// <summary>
/// The test gate's own test. <c>./sv test</c> first runs this assembly with <c>SV_GATE_SELF_CHECK=1</c>, which makes
/// the test below fail, through the same runner and summary as every other test; if that run does not exit non-zero
/// or does not count one failure, the gate is broken and <c>./sv test</c> fails before running anything else. In the
/// ordinary run the variable is unset and the test passes.
/// </summary>
public sealed class GateTests
{
    public const string SelfCheckVariable = "SV_GATE_SELF_CHECK";

    [Fact]
    public void Fails_when_the_gate_checks_itself() =>
        Assert.True(Environment.GetEnvironmentVariable(SelfCheckVariable) != "1",
            "This failure is on purpose: ./sv test checks that a failing test makes it exit non-zero.");
}
