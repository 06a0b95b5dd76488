using System.Runtime.InteropServices;

namespace Vigil.Platform;

/// <summary>
/// Starts and reaps child processes with posix_spawn(3) and waitpid(2): one vfork-style clone and exec per child,
/// without Process's per-child pipes, threads and bookkeeping, so <c>vigil stress</c> can launch about twice as fast.
/// </summary>
public static unsafe class PosixSpawn
{
    /// <summary>
    /// Starts <paramref name="path"/> with argv[0] = <paramref name="path"/> followed by <paramref name="arguments"/>,
    /// inheriting this process's environment and descriptors; returns the child's pid, or the negated error number.
    /// </summary>
    public static int Start(string path, ReadOnlySpan<string> arguments)
    {
        using var argv = new NativeArgv([path, .. arguments]);
        int pid;
        var error = Libc.posix_spawn(&pid, argv.Pointer[0], null, null, argv.Pointer, Libc.Environ);
        return error == 0 ? pid : -error;
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
            var reaped = Libc.waitpid(pid, &raw, wait ? 0 : Libc.WNOHANG);
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

            if (Marshal.GetLastPInvokeError() != Libc.EINTR)
            {
                status = -1;
                return true;
            }
        }
    }

    /// <summary>WEXITSTATUS of a wait status from a normal exit (bits 8-15), or -1 for a signal or an unknown status.</summary>
    public static int ExitCode(int status) => status >= 0 && (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1;
}
