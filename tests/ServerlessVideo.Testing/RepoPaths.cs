namespace ServerlessVideo.Testing;

/// <summary>Locations inside the repository, found from the test assembly's folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Models => Path.Combine(Root, "models");

    /// <summary>Ids of the built-in models: the folders of <see cref="Models"/> that hold a manifest (not presets/ or labels/).</summary>
    public static IReadOnlyList<string> BuiltInModelIds =>
        [.. Directory.GetDirectories(Models).Where(d => File.Exists(Path.Combine(d, "manifest.json"))).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)];

    public static string AzuriteBin => Path.Combine(Root, "build", "azurite", "node_modules", ".bin", "azurite");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ServerlessVideo.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ServerlessVideo.sln not found above " + AppContext.BaseDirectory);
    }
}
