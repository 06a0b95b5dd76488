using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Vigil.Netlink;

/// <summary>A failed audit netlink call: a libc error, or an errno the kernel returned in NLMSG_ERROR.</summary>
public sealed class AuditNetlinkException : Exception
{
    /// <summary>Creates the exception for <paramref name="operation"/> failing with <paramref name="errno"/>.</summary>
    public AuditNetlinkException(string operation, int errno)
        : base($"{operation} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
    {
        Operation = operation;
        Errno = errno;
    }

    /// <summary>Creates the exception for a protocol problem that has no errno.</summary>
    public AuditNetlinkException(string operation, string message)
        : base($"{operation} failed: {message}")
    {
        Operation = operation;
    }

    /// <summary>The request or libc call that failed, e.g. <c>AUDIT_ADD_RULE</c> or <c>bind</c>.</summary>
    public string Operation { get; }

    /// <summary>The positive errno (EPERM 1, EEXIST 17, …), 0 for protocol errors.</summary>
    public int Errno { get; }

    [DoesNotReturn]
    internal static void ThrowLastError(string operation) =>
        throw new AuditNetlinkException(operation, Marshal.GetLastPInvokeError());

    [DoesNotReturn]
    internal static void Throw(string operation, int errno) =>
        throw new AuditNetlinkException(operation, errno);

    [DoesNotReturn]
    internal static void Throw(string operation, string message) =>
        throw new AuditNetlinkException(operation, message);
}
