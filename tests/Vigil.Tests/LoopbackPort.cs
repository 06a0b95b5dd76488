using System.Net;
using System.Net.Sockets;

namespace Vigil.Tests;

/// <summary>A TCP port on 127.0.0.1 that was free a moment ago, for a test's program to bind.</summary>
internal static class LoopbackPort
{
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
