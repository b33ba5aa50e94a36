using System.Reflection;

namespace Fleet.Server.Hosting;

internal static class ServerInfo
{
    /// <summary>The assembly's informational version with its source revision (<c>1.0.0+commit</c>), as <c>fleet --version</c> shows it.</summary>
    public static string InformationalVersion { get; } =
        typeof(ServerInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The version without the source revision (<c>1.0.0</c>), for /v2 metadata and telemetry.</summary>
    public static string Version { get; } = InformationalVersion.Split('+')[0];
}
