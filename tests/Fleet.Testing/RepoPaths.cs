namespace Fleet.Testing;

/// <summary>The repository the tests run from: found by walking up from the test assembly to <c>Fleet.sln</c>.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Samples => Path.Combine(Root, "samples");

    public static string Sample(params string[] parts) => Path.Combine([Samples, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Fleet.sln")))
                return dir.FullName;
        }

        throw new DirectoryNotFoundException("Fleet.sln not found above " + AppContext.BaseDirectory);
    }
}
