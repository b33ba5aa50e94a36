using System.ComponentModel.DataAnnotations;

namespace Fleet.Server.Hosting;

/// <summary>Settings under <c>Fleet:</c> (appsettings, <c>Fleet__X</c> environment variables, <c>--Fleet:X=</c>).</summary>
public sealed class FleetOptions
{
    public const string SectionName = "Fleet";

    /// <summary>Local state: artifacts, and in embedded mode grain state. Relative paths resolve against the working directory. Default <c>data</c>.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>A shortcut for one token named <c>admin</c> with role admin (see <c>Fleet:Security:Tokens</c>); at least 16 characters.</summary>
    public string? AdminToken { get; set; }

    /// <summary>Largest inference or admin JSON body, in bytes (default 16 MiB).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Largest model artifact upload, in bytes (default 2 GiB).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxArtifactBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Most data rows in a reference dataset sent with a version (default 100,000): every row is held in memory while the version is checked.</summary>
    [Range(1, int.MaxValue)]
    public int MaxReferenceRows { get; set; } = Fleet.Guardrails.ContractInference.DefaultMaxReferenceRows;

    /// <summary>Seed the bundled sample models on start (default true).</summary>
    public bool SampleModels { get; set; } = true;

    /// <summary>Where the sample models are; default: the <c>samples</c> folder next to the server binary.</summary>
    public string? SamplesDirectory { get; set; }

    /// <summary>How often each silo re-reads every route in case a push was lost (default 30 s).</summary>
    public TimeSpan RouteResyncInterval { get; set; } = TimeSpan.FromSeconds(30);

    public string ResolveDataDirectory() => Path.GetFullPath(DataDirectory);

    public string ResolveSamplesDirectory() => SamplesDirectory is { Length: > 0 } dir
        ? Path.GetFullPath(dir)
        : Path.Combine(AppContext.BaseDirectory, "samples");
}
