namespace Vigil.Platform;

/// <summary>The dispositions of signals, which a process inherits across exec from whoever started it.</summary>
public static class SignalDisposition
{
    /// <summary>
    /// Gives SIGHUP its default disposition back, so that a handler registered afterwards receives it even when the
    /// process was started with it ignored (nohup(1)): the runtime leaves a signal it finds ignored alone.
    /// </summary>
    public static void ResetHangup() => Libc.signal(Libc.SIGHUP, Libc.SIG_DFL);
}
