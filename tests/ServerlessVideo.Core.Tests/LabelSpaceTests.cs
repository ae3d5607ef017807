using System.Text.Json.Nodes;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Results;
using ServerlessVideo.Onnx;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Core.Tests;

/// <summary>Label spaces: consensus never mixes them, a named space has one label list, selection by id or space.</summary>
public sealed class LabelSpaceTests
{
    [Fact]
    public void Consensus_is_one_block_per_label_space_and_never_mixes_them()
    {
        // Two 2-class models that agree on "b" and a 3-class model in another space that is sure of "x": averaged
        // together, "x" (0.9 / 3 = 0.3) would rank below "b" and the vote would split three ways.
        var blocks = Consensus.ByLabelSpace(
        [
            new ModelScores("k1", 1, ["a", "b"], [0.2f, 0.8f], "space-ab"),
            new ModelScores("big", 1, ["x", "y", "z"], [0.9f, 0.05f, 0.05f], "space-xyz"),
            new ModelScores("k2", 1, ["a", "b"], [0.4f, 0.6f], "space-ab"),
        ], 5);

        Assert.Equal(["space-ab", "space-xyz"], blocks.Select(b => b.LabelSpace));
        var ab = blocks[0];
        Assert.Equal(["k1", "k2"], ab.Models);
        Assert.Equal(["b", "a"], ab.Result.TopLabels.Select(l => l.Label));
        Assert.Equal(0.7, ab.Result.TopLabels[0].Confidence, 5);
        Assert.Equal("b", ab.Result.MajorityLabel);
        Assert.Equal(1.0, ab.Result.Agreement);

        var xyz = blocks[1];
        Assert.Equal(["big"], xyz.Models);
        Assert.Equal("x", xyz.Result.MajorityLabel);
        Assert.Equal(0.9, xyz.Result.TopLabels[0].Confidence, 5);
        Assert.DoesNotContain(xyz.Result.TopLabels, l => l.Label is "a" or "b");
    }

    [Fact]
    public void The_first_block_is_the_space_with_the_most_consensus_weight()
    {
        var blocks = Consensus.ByLabelSpace(
        [
            new ModelScores("m1", 1, ["a", "b"], [0.6f, 0.4f], "many"),
            new ModelScores("m2", 1, ["a", "b"], [0.6f, 0.4f], "many"),
            new ModelScores("heavy", 3, ["x", "y"], [0.6f, 0.4f], "weighty"),
        ], 2);
        Assert.Equal(["weighty", "many"], blocks.Select(b => b.LabelSpace));
    }

    [Fact]
    public void An_unnamed_space_is_derived_from_the_labels()
    {
        Assert.Equal(LoadedModel.UnnamedSpace(["a", "b"]), LoadedModel.UnnamedSpace(["a", "b"]));
        Assert.NotEqual(LoadedModel.UnnamedSpace(["a", "b"]), LoadedModel.UnnamedSpace(["b", "a"]));
        Assert.Matches("^labels-2-[0-9a-f]{8}$", LoadedModel.UnnamedSpace(["a", "b"]));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData(" * ", true)]
    [InlineData("colours", true)]
    [InlineData("a-model", true)]
    [InlineData("A-Model; other", true)]
    [InlineData("other-model", false)]
    [InlineData("kinetics-400", false)]
    public void Selection_is_by_id_or_label_space(string? text, bool includesAModel)
    {
        var model = Model("a-model", "colours", ["red", "green", "blue"]);
        Assert.Equal(includesAModel, ModelSelection.Parse(text).Includes(model));
    }

    [Fact]
    public void Selection_lists_names_that_are_no_model_or_space()
    {
        LoadedModel[] models = [Model("a-model", "colours", ["red", "green", "blue"])];
        var selection = ModelSelection.Parse("colours, broken-model, kinetics-400,a-model");
        Assert.Equal(["kinetics-400"], selection.Unknown(models, ["broken-model"]));
        Assert.Empty(ModelSelection.All.Unknown(models, []));
    }

    [Fact]
    public void The_schema_refuses_a_label_space_that_is_not_a_plain_name()
    {
        var manifest = JsonNode.Parse(ManifestWriter.ToJson(ColourMeanModel.Manifest()))!.AsObject();
        manifest["labelSpace"] = "Kinetics 400";
        var ex = Assert.Throws<ManifestException>(() => ManifestLoader.Parse(manifest.ToJsonString(), "m.json"));
        Assert.Contains("/labelSpace", ex.Message);
    }

    [Fact]
    public void The_readmes_example_manifest_is_valid()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var section = readme[readme.IndexOf("### Your own models", StringComparison.Ordinal)..];
        var start = section.IndexOf("```json\n", StringComparison.Ordinal) + "```json\n".Length;
        var json = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
        var manifest = ManifestLoader.Parse(json, "README.md");
        Assert.Equal("kinetics-400", manifest.LabelSpace);
    }

    [Fact]
    public void A_model_naming_a_space_with_other_labels_conflicts_and_the_message_says_how()
    {
        var conflict = Assert.Single(ManifestLoader.LabelSpaceConflicts(
        [
            Model("a-model", "colours", ["red", "green", "blue"]),
            Model("b-model", "colours", ["red", "green", "purple"]),
            Model("c-model", "colours", ["blue", "green", "red"]),
            Model("d-model", "other", ["x", "y"]),
        ]));
        Assert.Equal("b-model", conflict.Id);
        Assert.Equal(ReasonCodes.ModelUnavailable, conflict.ReasonCode);
        Assert.Contains("label space 'colours' is also 'a-model''s", conflict.Message);
        Assert.Contains("missing: 'blue'", conflict.Message);
        Assert.Contains("not in it: 'purple'", conflict.Message);
    }

    private static LoadedModel Model(string id, string space, IReadOnlyList<string> labels) =>
        new(ColourMeanModel.Manifest() with { Id = id, LabelSpace = space }, $"/models/{id}", labels);
}
