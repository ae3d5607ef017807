using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Inference;

namespace ServerlessVideo.Cli.Commands;

/// <summary>
/// <c>models add|list|presets</c>: a user's ONNX export added from a preset (no hand-written manifest), the models a
/// worker would run, and the presets there are. The models folder is <c>Inference__ModelsPath</c>; presets and label
/// maps are read from <c>Inference__PresetsPath</c> (default: the models folder; <c>./sv</c> sets the repository's).
/// </summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "add an ONNX export from a preset, list the models, list the presets");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Presets());
        return command;
    }

    private static Command Add()
    {
        var onnx = new Argument<FileInfo>("model") { Description = "the ONNX file, exported as the preset's 'export' command says" };
        var preset = new Option<string>("--preset") { Description = "library/model, e.g. torchvision/r3d_18 (./sv models presets lists them)", Required = true };
        var id = new Option<string?>("--id") { Description = "model id and folder name (default from the preset and label space, e.g. r3d-18-kinetics-400)" };
        var labels = new Option<string?>("--labels") { Description = "a label space shipped in models/labels (e.g. kinetics-400), or a labels file; default: the preset's" };
        var replace = new Option<bool>("--replace") { Description = "replace a model of the same id" };
        var command = new Command("add", "add MODEL.onnx to the models folder with a preset's manifest, checked against the graph") { onnx, preset, id, labels, replace };
        command.SetAction(parse =>
        {
            var options = Options();
            var output = parse.InvocationConfiguration.Output;
            try
            {
                var chosen = ModelPresets.Load(options.PresetsRoot, parse.GetValue(preset)!);
                Directory.CreateDirectory(options.ModelsPath);
                var added = ModelInstaller.Add(options.ModelsPath, options.PresetsRoot, parse.GetValue(onnx)!.FullName, chosen, parse.GetValue(id), parse.GetValue(labels), parse.GetValue(replace), options);
                var m = added.Model;
                output.WriteLine($"added {m.Id} to {m.Directory}");
                output.WriteLine($"  preset         {chosen.Name}: {chosen.Source}");
                output.WriteLine($"  checked        {chosen.Checked}");
                output.WriteLine($"  label space    {m.LabelSpace} ({m.Labels.Count} labels: {string.Join(", ", m.Labels.Take(3))}, …)");
                output.WriteLine($"  inputs         {Inputs(m)}");
                output.WriteLine($"  sampling       {Sampling(m.Manifest.Sampling)}");
                output.WriteLine($"  preprocessing  {Preprocessing(m.Manifest.Preprocessing)}");
                output.WriteLine($"  runs on        {added.Provider}");
                output.WriteLine($"submit a video for it alone: ./sv submit VIDEO --models {m.Id}");
                return 0;
            }
            catch (ManifestException ex)
            {
                throw new CliException(ex.Message, ex);
            }
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "every model of the models folder: family, label space, inputs, sampling, preprocessing, the provider it runs on");
        command.SetAction(parse =>
        {
            var options = Options();
            using var registry = new ModelRegistry(options, NullLogger<ModelRegistry>.Instance);
            registry.WarmUp();
            if (registry.LoadError is { } error)
            {
                throw new CliException(error);
            }

            var table = new TextTable("id", "family", "label space", "inputs", "sampling", "preprocessing", "provider");
            foreach (var m in registry.Available)
            {
                table.Add(m.Id, m.Manifest.Family, $"{m.LabelSpace} ({m.Labels.Count})", Inputs(m), Sampling(m.Manifest.Sampling), Preprocessing(m.Manifest.Preprocessing), registry.Session(m.Id).Provider);
            }

            foreach (var u in registry.Unavailable)
            {
                table.Add(u.Id, "-", "-", "-", "-", "-", $"{u.ReasonCode}: {u.Message}");
            }

            parse.InvocationConfiguration.Output.WriteLine(table.ToString());
            return registry.Unavailable.Count > 0 ? 1 : 0;
        });
        return command;
    }

    private static Command Presets()
    {
        var command = new Command("presets", "the presets ./sv models add takes, with the export command each expects");
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            foreach (var p in ModelPresets.List(Options().PresetsRoot))
            {
                output.WriteLine($"{p.Name}  ({p.LabelSpace ?? "no label space"})");
                output.WriteLine($"  source   {p.Source}");
                output.WriteLine($"  checked  {p.Checked}");
                output.WriteLine($"  export   {p.Export}");
            }

            return 0;
        });
        return command;
    }

    private static InferenceOptions Options()
    {
        var options = new InferenceOptions();
        new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection("Inference").Bind(options);
        return options;
    }

    private static string Inputs(LoadedModel m)
    {
        var s = m.Manifest.Sampling;
        var crop = m.Manifest.Preprocessing.CropSize;
        return string.Join("; ", m.Manifest.Inputs.Select(i =>
        {
            var t = i.Stream == ModelInput.FlowStream ? s.ClipLength - 1 : (s.ClipLength + i.FrameStride - 1) / i.FrameStride;
            var c = i.Stream == ModelInput.FlowStream ? 2 : 3;
            var shape = i.Layout switch
            {
                "NCTHW" => $"N×{c}×{t}×{crop}×{crop}",
                "NTCHW" => $"N×{t}×{c}×{crop}×{crop}",
                _ => $"{t}×{c}×{crop}×{crop}",
            };
            return $"{i.Name} {i.Layout} {shape}";
        }));
    }

    private static string Sampling(SamplingSpec s) => s.Strategy switch
    {
        SamplingSpec.Segments => $"{s.ClipLength} segments",
        SamplingSpec.Torchvision => string.Create(CultureInfo.InvariantCulture, $"torchvision: {s.NumClips}×{s.ClipLength} frames at {s.FrameRate:0.###} fps"),
        SamplingSpec.Mmaction2 => string.Create(CultureInfo.InvariantCulture, $"mmaction2: {s.NumClips}×{s.ClipLength} frames, interval {s.FrameInterval}"),
        SamplingSpec.Mmaction2Segments => string.Create(CultureInfo.InvariantCulture, $"mmaction2: {s.ClipLength} segments as one clip"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{s.NumClips}×{s.ClipLength} frames at {(s.Fps is { } f ? $"{f:0.###} fps" : $"interval {s.FrameInterval}")}"),
    };

    private static string Preprocessing(PreprocessingSpec p)
    {
        var resize = p.Resize is { } r
            ? $"{r.Library} {(r.ShortSide is { } s ? $"short side {s}" : r.LongSide is { } l ? $"long side {l}" : $"{r.Height}×{r.Width}")} {r.Interpolation}{(r.Antialias ? " antialias" : string.Empty)}"
            : $"ffmpeg short side {p.ResizeShortSide}";
        var crops = p.CropCount > 1 ? $" ×{p.CropCount} ({p.Crops})" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{resize}, crop {p.CropSize}{crops}, /{p.PixelScale:0.###}, mean {string.Join("/", p.Mean.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture)))}");
    }
}
