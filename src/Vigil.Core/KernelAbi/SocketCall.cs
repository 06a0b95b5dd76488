namespace Vigil.KernelAbi;

/// <summary>
/// The calls of the <c>socketcall</c> multiplexer, through which 32-bit processes on i386 (and ppc, s390) reach the
/// socket calls: its first argument is one of the SYS_ numbers of include/uapi/linux/net.h. Only those socket_events
/// reports are here.
/// </summary>
public static class SocketCall
{
    /// <summary>The syscall's name in the architectures' tables.</summary>
    public const string Name = "socketcall";

    /// <summary>SYS_BIND.</summary>
    public const int Bind = 2;

    /// <summary>SYS_CONNECT.</summary>
    public const int Connect = 3;

    /// <summary>SYS_ACCEPT.</summary>
    public const int Accept = 5;

    /// <summary>SYS_ACCEPT4.</summary>
    public const int Accept4 = 18;

    // Each call once, with the name the syscall tables give its direct syscall.
    private static readonly (int Call, string Name)[] Calls = [(Bind, "bind"), (Connect, "connect"), (Accept, "accept"), (Accept4, "accept4")];

    /// <summary>The name of the socket call <paramref name="call"/> stands for, as the syscall tables spell it, or null.</summary>
    public static string? NameOf(ulong call)
    {
        foreach (var known in Calls)
        {
            if ((ulong)known.Call == call)
            {
                return known.Name;
            }
        }

        return null;
    }

    /// <summary>The SYS_ number of the socket call <paramref name="name"/>, for a rule on socketcall's first argument.</summary>
    public static bool TryGetCall(string name, out int call)
    {
        foreach (var known in Calls)
        {
            if (known.Name == name)
            {
                call = known.Call;
                return true;
            }
        }

        call = 0;
        return false;
    }
}
