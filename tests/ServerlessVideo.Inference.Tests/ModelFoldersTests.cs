using System.Text.Json.Nodes;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Onnx;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Inference.Tests;

/// <summary>Models folders read from disk: the committed ones, naming rules, and label spaces checked across folders.</summary>
public sealed class ModelFoldersTests
{
    [Fact]
    public void Every_committed_manifest_loads_and_is_small()
    {
        var models = ModelFolders.LoadAll(RepoPaths.Models);
        Assert.NotEmpty(models);
        Assert.All(models, m => Assert.InRange(new FileInfo(m.ModelPath).Length, 1, 8 * 1024 * 1024));
    }

    [Fact]
    public void The_baseline_writer_is_deterministic_and_its_manifest_loads()
    {
        using var temp = new TempFolder();
        var dir = Path.Combine(temp.Path, ColourMeanModel.Id);
        ColourMeanModel.WriteTo(dir);
        Assert.Equal(ColourMeanModel.OnnxBytes(), File.ReadAllBytes(Path.Combine(dir, "model.onnx")));
        Assert.Equal(ColourMeanModel.Labels, ModelFolders.Load(dir).Labels);
    }


    [Fact]
    public void Folder_name_must_equal_id_and_labels_must_exist()
    {
        using var temp = new TempFolder();
        var dir = Path.Combine(temp.Path, "renamed");
        ColourMeanModel.WriteTo(dir);
        Assert.Contains("must equal its folder name", Assert.Throws<ManifestException>(() => ModelFolders.Load(dir)).Message);

        var good = Path.Combine(temp.Path, ColourMeanModel.Id);
        ColourMeanModel.WriteTo(good);
        File.Delete(Path.Combine(good, "labels.txt"));
        Assert.Contains("labels file", Assert.Throws<ManifestException>(() => ModelFolders.Load(good)).Message);
    }


    [Fact]
    public void Every_built_in_model_is_in_the_synthmotion_space()
    {
        var models = ModelFolders.LoadAll(RepoPaths.Models);
        Assert.All(models, m => Assert.Equal("synthmotion", m.LabelSpace));
        Assert.Empty(ManifestLoader.LabelSpaceConflicts(models));
    }

    [Fact]
    public void A_model_naming_a_space_with_other_labels_is_unavailable_and_says_why()
    {
        using var temp = new TempFolder();
        Write(temp.Path, "a-model", "colours", ["red", "green", "blue"]);
        Write(temp.Path, "b-model", "colours", ["red", "green", "purple"]);
        Write(temp.Path, "c-model", "colours", ["blue", "green", "red"]);

        var scan = ModelFolders.Scan(temp.Path);

        Assert.Equal(["a-model", "c-model"], scan.Models.Select(m => m.Id));
        var failed = Assert.Single(scan.Failed);
        Assert.Equal("b-model", failed.Id);
        Assert.Equal(ReasonCodes.ModelUnavailable, failed.ReasonCode);
        Assert.Contains("label space 'colours' is also 'a-model''s", failed.Message);
        Assert.Contains("missing: 'blue'", failed.Message);
        Assert.Contains("not in it: 'purple'", failed.Message);
    }

    private static void Write(string root, string id, string space, IReadOnlyList<string> labels)
    {
        var dir = Path.Combine(root, id);
        ColourMeanModel.WriteTo(dir);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, ManifestLoader.ManifestFileName)))!.AsObject();
        manifest["id"] = id;
        manifest["labelSpace"] = space;
        File.WriteAllText(Path.Combine(dir, ManifestLoader.ManifestFileName), manifest.ToJsonString());
        File.WriteAllText(Path.Combine(dir, "labels.txt"), string.Join('\n', labels) + "\n");
    }
}
