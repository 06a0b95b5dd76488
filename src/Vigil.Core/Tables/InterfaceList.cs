using System.Runtime.InteropServices;
using Vigil.Platform;

namespace Vigil.Tables;

/// <summary>One walk over getifaddrs(3), the list osquery's interface tables read, freed when the walk ends.</summary>
internal static unsafe class InterfaceList
{
    /// <summary>Called for each entry; the entry and what it points to live only during the call.</summary>
    public delegate void Visitor(Libc.IfAddrs* entry);

    /// <summary>Calls <paramref name="visit"/> for each entry in getifaddrs' order; throws <see cref="IOException"/> when getifaddrs fails.</summary>
    public static void Walk(Visitor visit)
    {
        Libc.IfAddrs* list;
        if (Libc.getifaddrs(&list) != 0)
        {
            throw new IOException($"getifaddrs failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        try
        {
            for (var entry = list; entry != null; entry = entry->ifa_next)
            {
                visit(entry);
            }
        }
        finally
        {
            Libc.freeifaddrs(list);
        }
    }

    /// <summary>The entry's interface name, '' when it has none.</summary>
    public static string Name(Libc.IfAddrs* entry) =>
        entry->ifa_name == null ? string.Empty : Marshal.PtrToStringUTF8((IntPtr)entry->ifa_name) ?? string.Empty;
}
