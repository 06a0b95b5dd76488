namespace Vigil.Platform;

/// <summary>
/// Whether a file that configures a root agent (config, flagfile, rules) could have been written by someone other
/// than root: owned by another uid, writable by group or others, or in a directory (the file's or any above it)
/// owned by another uid or writable by group or others without the sticky bit, so that they could replace the file. Only a process running as
/// root enforces this (<see cref="Enforced"/>): an unprivileged user reading their own files gains nothing from it.
/// Symlinks are followed for the file; directories are checked along the path as written and as resolved.
/// </summary>
public static class FilePermissions
{
    private const uint StIwgrp = 0x10; // S_IWGRP
    private const uint StIwoth = 0x02; // S_IWOTH
    private const uint StIsvtx = 0x200; // S_ISVTX, the sticky bit
    private const uint StIrgrp = 0x20; // S_IRGRP
    private const uint StIroth = 0x04; // S_IROTH

    /// <summary>True when the checks apply: this process runs as root.</summary>
    public static bool Enforced => Environment.IsPrivilegedProcess;

    /// <summary>
    /// Why a non-root user could have written <paramref name="path"/>, or null when only root could; also null when
    /// the file cannot be examined (missing), which the reader of the file then reports.
    /// </summary>
    public static string? WhyUntrusted(string path)
    {
        if (!Libc.TryStat(path, out var stat))
        {
            return null;
        }

        var (uid, mode) = (stat.stx_uid, (uint)stat.stx_mode);

        if (uid != 0)
        {
            return $"it is owned by uid {uid}, not root";
        }

        if ((mode & (StIwgrp | StIwoth)) != 0)
        {
            return $"it is writable by {((mode & StIwoth) != 0 ? "others" : "its group")} (mode {Octal(mode)})";
        }

        var full = Path.GetFullPath(path);
        return WhyDirectoryUntrusted(Path.GetDirectoryName(full))
            ?? WhyDirectoryUntrusted(Path.GetDirectoryName(new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full));
    }

    /// <summary>
    /// Null when <paramref name="path"/> may be used, else the reason to refuse it as the <paramref name="role"/>
    /// ("config", "flagfile"...): "refusing config /etc/x: it is writable by others (mode 0666)". Always null when
    /// not <see cref="Enforced"/>.
    /// </summary>
    public static string? Refusal(string path, string role) =>
        Enforced && WhyUntrusted(path) is { } why ? $"refusing {role} {path}: {why}" : null;

    /// <summary>
    /// Null when the secret at <paramref name="path"/> (an enroll secret, a private key) may be used, else the reason to
    /// refuse it as the <paramref name="role"/>: what <see cref="Refusal"/> refuses, and also a file its group or
    /// others can read. Always null when not <see cref="Enforced"/>.
    /// </summary>
    public static string? SecretRefusal(string path, string role)
    {
        if (!Enforced)
        {
            return null;
        }

        if (Refusal(path, role) is { } refusal)
        {
            return refusal;
        }

        return Libc.TryStat(path, out var stat) && (stat.stx_mode & (StIrgrp | StIroth)) != 0
            ? $"refusing {role} {path}: it is readable by {((stat.stx_mode & StIroth) != 0 ? "others" : "its group")} (mode {Octal(stat.stx_mode)}); make it 0600 or 0400, owned by root"
            : null;
    }

    // Whoever may create or rename entries in a directory on the path can swap the file for their own.
    private static string? WhyDirectoryUntrusted(string? directory)
    {
        for (var current = directory; current is not null; current = Path.GetDirectoryName(current))
        {
            if (!Libc.TryStat(current, out var stat))
            {
                continue;
            }

            var (uid, mode) = (stat.stx_uid, (uint)stat.stx_mode);

            if (uid != 0)
            {
                return $"its directory {current} is owned by uid {uid}, not root";
            }

            if ((mode & StIsvtx) == 0 && (mode & (StIwgrp | StIwoth)) != 0)
            {
                var who = (mode & StIwoth) != 0 ? "others" : "its group";
                return $"its directory {current} is writable by {who} without the sticky bit (mode {Octal(mode)})";
            }
        }

        return null;
    }

    /// <summary>"owned by uid 0, mode 0600" for <paramref name="path"/>, or null when it cannot be examined.</summary>
    public static string? Describe(string path) =>
        Libc.TryStat(path, out var stat) ? $"owned by uid {stat.stx_uid}, mode {Octal(stat.stx_mode)}" : null;

    private static string Octal(uint mode) => "0" + Convert.ToString(mode & 0xfff, 8).PadLeft(3, '0');
}
