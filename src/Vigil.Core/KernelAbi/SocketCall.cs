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

    /// <summary>The name of the socket call <paramref name="call"/> stands for, as the syscall tables spell it, or null.</summary>
    public static string? NameOf(ulong call) => call switch
    {
        Bind => "bind",
        Connect => "connect",
        Accept => "accept",
        Accept4 => "accept4",
        _ => null,
    };

    /// <summary>The SYS_ number of the socket call <paramref name="name"/>, for a rule on socketcall's first argument.</summary>
    public static bool TryGetCall(string name, out int call)
    {
        call = name switch
        {
            "bind" => Bind,
            "connect" => Connect,
            "accept" => Accept,
            "accept4" => Accept4,
            _ => 0,
        };
        return call != 0;
    }
}
