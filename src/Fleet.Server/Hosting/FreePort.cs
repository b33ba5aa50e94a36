using System.Net;
using System.Net.Sockets;

namespace Fleet.Server.Hosting;

internal static class FreePort
{
    /// <summary>A port the OS considers free now; used so two embedded servers never collide on silo ports.</summary>
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
