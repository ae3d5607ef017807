namespace ServerlessVideo.Testing;

/// <summary>Locations inside the repository, found from the test assembly's folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Models => Path.Combine(Root, "models");

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
