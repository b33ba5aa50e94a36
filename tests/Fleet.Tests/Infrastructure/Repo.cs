namespace Fleet.Tests.Infrastructure;

/// <summary>Paths in the repository the tests read (sample models, the built server).</summary>
internal static class Repo
{
    public static string Root => RepoPaths.Root;

    public static string Samples => Path.Combine(Root, "samples");

    public static string Sample(params string[] parts) => Path.Combine([Samples, .. parts]);

    /// <summary>The server built alongside this test assembly (same configuration), for multi-process tests.</summary>
    public static string ServerDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0/
            var path = Path.Combine(Root, "src", "Fleet.Server", "bin", configuration, "net10.0", "Fleet.Server.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"build the server first: {path} is missing");
        }
    }
}
