namespace ServerlessVideo.Testing;

/// <summary>Storage names no other test uses: each test gets its own containers, tables and task hub.</summary>
public static class TestNames
{
    /// <summary>Lowercase letters and digits, starting with a letter, valid for containers, tables and task hubs.</summary>
    public static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];
}
