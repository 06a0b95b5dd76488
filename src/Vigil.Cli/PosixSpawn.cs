using System.Runtime.InteropServices;

namespace Vigil.Cli;

/// <summary>
/// Starts and reaps child processes with posix_spawn(3) and waitpid(2): one vfork-style clone and exec per child,
/// without Process's per-child pipes, threads and bookkeeping, so <c>vigil stress</c> can launch about twice as fast.
/// </summary>
internal static unsafe partial class PosixSpawn
{
    /// <summary>WNOHANG (include/uapi/linux/wait.h).</summary>
    private const int WNOHANG = 1;

    /// <summary>EINTR (asm-generic/errno-base.h).</summary>
    private const int EINTR = 4;

    private static readonly nint EnvironAddress = NativeLibrary.GetExport(NativeLibrary.GetMainProgramHandle(), "environ");

    /// <summary>
    /// Starts <paramref name="path"/> with argv[0] = <paramref name="path"/> followed by <paramref name="arguments"/>,
    /// inheriting this process's environment and descriptors; returns the child's pid, or the negated error number.
    /// </summary>
    public static int Start(string path, ReadOnlySpan<string> arguments)
    {
        var argv = new nint[arguments.Length + 2];
        try
        {
            argv[0] = Marshal.StringToCoTaskMemUTF8(path);
            for (var i = 0; i < arguments.Length; i++)
            {
                argv[i + 1] = Marshal.StringToCoTaskMemUTF8(arguments[i]);
            }

            int pid;
            fixed (nint* args = argv)
            {
                var error = posix_spawn(&pid, (byte*)argv[0], null, null, (byte**)args, Environ());
                return error == 0 ? pid : -error;
            }
        }
        finally
        {
            foreach (var arg in argv)
            {
                Marshal.FreeCoTaskMem(arg);
            }
        }
    }

    /// <summary>
    /// Reaps child <paramref name="pid"/> if it has exited (with <paramref name="wait"/>, once it has) and gives its wait
    /// status; false while it runs. A child already reaped elsewhere (ECHILD) counts as exited with status -1.
    /// </summary>
    public static bool TryReap(int pid, bool wait, out int status)
    {
        while (true)
        {
            int raw;
            var reaped = waitpid(pid, &raw, wait ? 0 : WNOHANG);
            if (reaped == pid)
            {
                status = raw;
                return true;
            }

            if (reaped == 0)
            {
                status = 0;
                return false;
            }

            if (Marshal.GetLastPInvokeError() != EINTR)
            {
                status = -1;
                return true;
            }
        }
    }

    /// <summary>WEXITSTATUS of a wait status from a normal exit (bits 8-15), or -1 for a signal or an unknown status.</summary>
    public static int ExitCode(int status) => status >= 0 && (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1;

    // The C library's environment (char **environ), read at each start because setenv(3) may move it. Variables set
    // through Environment.SetEnvironmentVariable live only in the runtime and are not passed on.
    private static byte** Environ() => *(byte***)EnvironAddress;

    [LibraryImport("libc")]
    private static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitpid(int pid, int* status, int options);
}
