using System.Globalization;
using System.Text.Json;

namespace Vigil.Rules;

/// <summary>
/// One entry of the config's <c>audit.exclude</c>: whose syscalls the kernel should not report. The set selectors
/// (exe, uid, auid) must all match; no <see cref="Syscalls"/> means every syscall Vigil audits.
/// </summary>
/// <param name="Name">Where the entry came from (<c>audit.exclude[2]</c>, <c>--audit_exclude_exe</c>), for messages.</param>
/// <param name="Exe">An absolute executable path, possibly with <c>*</c> and <c>?</c> wildcards.</param>
/// <param name="Uid">A real user id.</param>
/// <param name="Auid">A login user id; 4294967295 means "never logged in" (unset).</param>
/// <param name="Syscalls">Syscall names (x86_64 spelling); empty for all of Vigil's syscalls.</param>
public sealed record AuditExclusion(string Name, string? Exe, uint? Uid, uint? Auid, IReadOnlyList<string> Syscalls)
{
    /// <summary>The config entry that reproduces this exclusion, as JSON on one line.</summary>
    public string ToConfigJson()
    {
        var parts = new List<string>(4);
        if (Exe is not null)
        {
            parts.Add("\"exe\": \"" + JsonEncodedText.Encode(Exe) + "\"");
        }

        if (Uid is { } uid)
        {
            parts.Add("\"uid\": " + uid.ToString(CultureInfo.InvariantCulture));
        }

        if (Auid is { } auid)
        {
            parts.Add("\"auid\": " + auid.ToString(CultureInfo.InvariantCulture));
        }

        if (Syscalls.Count > 0)
        {
            parts.Add($"\"syscalls\": [\"{string.Join("\", \"", Syscalls)}\"]");
        }

        return "{" + string.Join(", ", parts) + "}";
    }
}
