using System.Net;
using System.Net.Sockets;

namespace Fleet.Testing;

/// <summary>
/// Loopback ports for test servers, silos and receivers, taken from 20000-32767: below Linux's ephemeral range
/// (32768-60999), so no outgoing connection of a parallel test can take a port between the moment it is chosen and the
/// moment its server binds it (a port 0 bind hands out ports from that very range, which is how that race happened).
/// A port is handed out once per process and checked free by binding it.
/// </summary>
public static class FreePorts
{
    private const int First = 20_000;
    private const int Last = 32_767;

    private static readonly HashSet<int> Given = [];
    private static readonly Lock Gate = new();
    private static int _next = First + Random.Shared.Next(Last - First);

    public static int Next()
    {
        lock (Gate)
        {
            for (var tries = 0; tries < Last - First; tries++)
            {
                var port = _next;
                _next = _next >= Last ? First : _next + 1;
                if (Given.Contains(port) || !IsFree(port))
                {
                    continue;
                }

                Given.Add(port);
                return port;
            }
        }

        throw new InvalidOperationException($"no free loopback port in {First}-{Last}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
