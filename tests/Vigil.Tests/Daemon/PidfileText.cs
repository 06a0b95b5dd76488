using System.Diagnostics;

namespace Vigil.Tests.Daemon;

/// <summary>
/// Reads a pidfile the way systemd's PIDFile= and vigilctl do (cat): .NET's own readers take flock(LOCK_SH), which a
/// running daemon's exclusive lock on its pidfile refuses, in another process and in this one alike.
/// </summary>
internal static class PidfileText
{
    public static string Read(string path)
    {
        using var cat = Process.Start(new ProcessStartInfo("cat", path) { RedirectStandardOutput = true })!;
        var text = cat.StandardOutput.ReadToEnd();
        cat.WaitForExit();
        return text;
    }
}
