namespace ServerlessVideo.Testing;

/// <summary>
/// Copies of built-in model folders for tests that break them. <c>models/</c> itself is never written: every change
/// happens to the copy.
/// </summary>
public static class ModelCopies
{
    /// <summary>Copies <c>models/<paramref name="id"/></c> into <paramref name="modelsRoot"/>; returns the copy's folder.</summary>
    public static string Copy(string id, string modelsRoot)
    {
        var source = Path.Combine(RepoPaths.Models, id);
        var target = Path.Combine(modelsRoot, id);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    /// <summary>
    /// Copies <c>models/<paramref name="id"/></c> and cuts its <c>model.onnx</c> to its first third, as an interrupted
    /// download or copy leaves it: the manifest and labels are fine, the ONNX protobuf does not parse.
    /// </summary>
    public static string CopyTruncated(string id, string modelsRoot)
    {
        var target = Copy(id, modelsRoot);
        var onnx = Path.Combine(target, "model.onnx");
        var bytes = File.ReadAllBytes(onnx);
        File.WriteAllBytes(onnx, bytes[..(bytes.Length / 3)]);
        return target;
    }
}
