namespace Vigil.Platform;

/// <summary>The dispositions of signals, which a process inherits across exec from whoever started it.</summary>
public static class SignalDisposition
{
    /// <summary>
    /// Gives SIGINT and SIGHUP their default disposition back, so that handlers registered afterwards receive them even
    /// when the process was started with them ignored (nohup(1) ignores SIGHUP, a shell without job control SIGINT
    /// for what it starts in the background): the runtime leaves a signal it finds ignored alone.
    /// </summary>
    public static void ResetInterruptAndHangup()
    {
        Libc.signal(Libc.SIGINT, Libc.SIG_DFL);
        Libc.signal(Libc.SIGHUP, Libc.SIG_DFL);
    }
}
