using System.Runtime.InteropServices;
using Vigil.Kernel;
using Vigil.Platform;

namespace Vigil.Cli;

/// <summary>
/// <c>vigil daemon</c>'s restart in place (SIGUSR2, as vigilctl restart and the package upgrade send it): the process
/// executes its own command line again, so a replaced <c>/usr/bin/vigil</c> takes over with the same pid, and passes
/// its kernel session on in the environment (<see cref="KernelHandover"/>).
/// </summary>
internal static class InPlaceRestart
{
    /// <summary>SIGUSR2 (asm-generic/signal.h); PosixSignal takes raw numbers.</summary>
    public const PosixSignal Signal = (PosixSignal)12;

    /// <summary>The environment variable the session travels in from one image to the next.</summary>
    public const string HandoverVariable = "VIGIL_HANDOVER";

    /// <summary>The session the previous image passed on, or null on a fresh start; the variable is cleared either way.</summary>
    public static KernelHandover? TakeHandover()
    {
        var text = Environment.GetEnvironmentVariable(HandoverVariable);
        if (text is null)
        {
            return null;
        }

        ProcessImage.SetEnvironment(HandoverVariable, null);
        return KernelHandover.Parse(text);
    }

    /// <summary>Executes this process's command line with the session in the environment; returns only when that fails, with the exception to throw.</summary>
    public static CliException Exec(KernelHandover? handover)
    {
        if (handover is not null)
        {
            ProcessImage.SetEnvironment(HandoverVariable, handover.Encode());
        }

        var argv = ProcessImage.CommandLine();
        var errno = ProcessImage.Exec(argv);
        return new CliException($"restarting in place: executing {argv[0]} failed: {Marshal.GetPInvokeErrorMessage(errno)}; the next start restores the kernel audit state");
    }
}
