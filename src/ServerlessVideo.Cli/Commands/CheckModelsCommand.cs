using System.CommandLine;
using ServerlessVideo.Host;

namespace ServerlessVideo.Cli.Commands;

/// <summary><c>check-models</c>: every model loaded and checked against its manifest, with the provider it runs on or why it cannot load.</summary>
public static class CheckModelsCommand
{
    public static Command Create()
    {
        var command = new Command("check-models",
            "load every model (Inference__ModelsPath; Inference__ExecutionProvider=cuda tries the GPU) and print the provider each runs on; exit 1 if any cannot load");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse => ModelCheck.Run([.. parse.UnmatchedTokens], parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }
}
