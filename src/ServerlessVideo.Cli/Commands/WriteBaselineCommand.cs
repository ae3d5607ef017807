using System.CommandLine;
using ServerlessVideo.Onnx;

namespace ServerlessVideo.Cli.Commands;

/// <summary><c>write-baseline DIR</c>: the known-answer colour-mean model the tests use, as a model folder.</summary>
public static class WriteBaselineCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "where to write manifest.json, model.onnx and labels.txt (e.g. models/colour-mean)" };
        var command = new Command("write-baseline", "write the colour-mean known-answer model (red, green, blue) into a folder") { folder };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(folder)!;
            ColourMeanModel.WriteTo(dir.FullName);
            parse.InvocationConfiguration.Output.WriteLine($"wrote {ColourMeanModel.Id} to {dir.FullName}");
            return 0;
        });
        return command;
    }
}
