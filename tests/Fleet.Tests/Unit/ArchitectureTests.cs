using System.Reflection;
using System.Xml.Linq;

namespace Fleet.Tests.Unit;

/// <summary>
/// The project graph points inward: algorithm libraries know nothing of Orleans or of each other's hosts,
/// the abstractions carry contracts and surrogates (Orleans SDK only), grains and guardrails sit above them,
/// the server on top, and the CLI talks HTTP only. Read from the compiled assemblies (what each really uses)
/// and from the project files (what each lists).
/// </summary>
[Trait(Speed.Trait, Speed.Unit)]
public sealed class ArchitectureTests
{
    private static readonly string[] Leaves = ["Fleet.Statistics", "Fleet.Drift", "Fleet.Monitoring", "Fleet.Inference"];

    /// <summary>The Fleet assemblies each may use; anything else is an inversion.</summary>
    private static readonly Dictionary<string, string[]> MayUse = new()
    {
        ["Fleet.Statistics"] = [],
        ["Fleet.Drift"] = [],
        ["Fleet.Monitoring"] = ["Fleet.Statistics", "Fleet.Drift"],
        ["Fleet.Inference"] = [],
        ["Fleet.Abstractions"] = ["Fleet.Statistics", "Fleet.Drift", "Fleet.Monitoring"],
        ["Fleet.Guardrails"] = ["Fleet.Abstractions", "Fleet.Inference", "Fleet.Statistics", "Fleet.Drift", "Fleet.Monitoring"],
        ["Fleet.Grains"] = ["Fleet.Abstractions", "Fleet.Statistics", "Fleet.Drift", "Fleet.Monitoring"],
        ["Fleet.Server"] = ["Fleet.Abstractions", "Fleet.Statistics", "Fleet.Drift", "Fleet.Monitoring", "Fleet.Inference", "Fleet.Guardrails", "Fleet.Grains"],
        ["Fleet.Cli"] = [],
    };

    /// <summary>Orleans assemblies of the runtime and its providers: only grains and the server may use them.</summary>
    private static readonly string[] OrleansRuntime = ["Orleans.Runtime", "Orleans.Server", "Orleans.Reminders", "Orleans.Persistence", "Orleans.Clustering", "Orleans.Hosting"];

    public static TheoryData<string> Projects() => new(MayUse.Keys);

    [Theory]
    [MemberData(nameof(Projects))]
    public void Uses_only_the_projects_below_it(string project)
    {
        var used = FleetReferences(project);
        var inverted = used.Except(MayUse[project]).ToArray();
        Assert.True(inverted.Length == 0, $"{project} uses {string.Join(", ", inverted)}, which it may not (it may use: {string.Join(", ", MayUse[project])})");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Lists_every_project_it_uses(string project)
    {
        var listed = ProjectFile(project).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToHashSet(StringComparer.Ordinal);
        var unlisted = FleetReferences(project).Where(r => !listed.Contains(r)).ToArray();
        Assert.True(unlisted.Length == 0, $"{project} uses {string.Join(", ", unlisted)} without listing it in its project file");
        var beyond = listed.Except(MayUse[project]).ToArray();
        Assert.True(beyond.Length == 0, $"{project} lists {string.Join(", ", beyond)}, which it may not use");
    }

    [Fact]
    public void Algorithm_libraries_and_the_cli_know_nothing_of_Orleans()
    {
        foreach (var project in Leaves.Append("Fleet.Cli"))
        {
            var orleans = References(project).Where(r => r.StartsWith("Orleans", StringComparison.Ordinal)).ToArray();
            Assert.True(orleans.Length == 0, $"{project} uses {string.Join(", ", orleans)}");
            var packages = ProjectFile(project).Descendants("PackageReference").Select(p => p.Attribute("Include")!.Value)
                .Where(p => p.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)).ToArray();
            Assert.True(packages.Length == 0, $"{project} lists {string.Join(", ", packages)}");
        }
    }

    [Fact]
    public void Contracts_and_guardrails_use_no_Orleans_runtime()
    {
        foreach (var project in new[] { "Fleet.Abstractions", "Fleet.Guardrails" })
        {
            var runtime = References(project).Where(r => OrleansRuntime.Any(o => r.StartsWith(o, StringComparison.Ordinal))).ToArray();
            Assert.True(runtime.Length == 0, $"{project} uses {string.Join(", ", runtime)}");
        }

        Assert.Contains("Orleans.Serialization", References("Fleet.Abstractions")); // the surrogates are really there
    }

    [Fact]
    public void Namespaces_start_with_their_project()
    {
        foreach (var project in MayUse.Keys)
        {
            var stray = Load(project).GetTypes()
                .Where(t => t.Namespace is { } ns && ns.StartsWith("Fleet", StringComparison.Ordinal) && ns != project && !ns.StartsWith(project + ".", StringComparison.Ordinal))
                .Select(t => t.FullName!).Where(n => !n.Contains('<')).Take(5).ToArray();
            Assert.True(stray.Length == 0, $"{project} declares types outside its namespace: {string.Join(", ", stray)}");
        }
    }

    private static Assembly Load(string project) => Assembly.Load(AssemblyName(project));

    private static string AssemblyName(string project) =>
        ProjectFile(project).Descendants("AssemblyName").Select(e => e.Value).FirstOrDefault() ?? project;

    private static string[] References(string project) =>
        [.. Load(project).GetReferencedAssemblies().Select(a => a.Name!)];

    private static string[] FleetReferences(string project) =>
        [.. References(project).Where(r => r.StartsWith("Fleet.", StringComparison.Ordinal))];

    private static XDocument ProjectFile(string project) =>
        XDocument.Load(Path.Combine(RepoPaths.Root, "src", project, project + ".csproj"));
}
