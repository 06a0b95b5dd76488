namespace Vigil.KernelAbi;

/// <summary>The fcntl(2) commands that copy a descriptor, which process_file_events follows like dup.</summary>
public static class FcntlCommand
{
    /// <summary>F_DUPFD (include/uapi/asm-generic/fcntl.h).</summary>
    public const uint DupFd = 0;

    /// <summary>F_DUPFD_CLOEXEC (include/uapi/linux/fcntl.h: F_LINUX_SPECIFIC_BASE + 6): the copy is close-on-exec.</summary>
    public const uint DupFdCloexec = 1030;
}
