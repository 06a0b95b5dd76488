using System.Globalization;

namespace Vigil.Bsm;

/// <summary>What an event type means to the event tables.</summary>
public enum BsmEventKind
{
    Other,
    Exec,
    Fork,
    Exit,
    Connect,
    Bind,
    Accept,
}

/// <summary>
/// BSM event numbers and names from the audit_event file shipped in this folder (OpenBSM's table, the source cited
/// there), and the kinds of event the tables use, with the names OpenBSM gives them in sys/bsm/audit_kevents.h.
/// </summary>
public static class BsmEvents
{
    private static readonly Dictionary<int, (string Name, string Syscall)> Table = Load();

    /// <summary>The kind of event <paramref name="eventType"/> is: execve and posix_spawn (as osquery subscribes), their variants, forks, exit, socket calls.</summary>
    public static BsmEventKind Kind(int eventType) => eventType switch
    {
        // AUE_EXECVE, AUE_MAC_EXECVE, AUE_FEXECVE, AUE_POSIX_SPAWN, AUE_EXECVEAT
        23 or 43131 or 43144 or 43190 or 43262 => BsmEventKind.Exec,

        // AUE_FORK, AUE_VFORK, AUE_FORK1, AUE_DARWIN_RFORK, AUE_RFORK, AUE_PDFORK, AUE_PDRFORK
        2 or 25 or 241 or 353 or 43043 or 43197 or 43273 => BsmEventKind.Fork,

        // AUE_EXIT
        1 => BsmEventKind.Exit,

        // AUE_CONNECT, AUE_CONNECTAT
        32 or 43208 => BsmEventKind.Connect,

        // AUE_BIND, AUE_BINDAT
        34 or 43207 => BsmEventKind.Bind,

        // AUE_ACCEPT
        33 => BsmEventKind.Accept,
        _ => BsmEventKind.Other,
    };

    /// <summary>The event's AUE_ name, or its number when the table lacks it.</summary>
    public static string Name(int eventType) =>
        Table.TryGetValue(eventType, out var entry) ? entry.Name : eventType.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The call an event records, from its description: <c>execve(2)</c> gives execve, <c>open(2) - read</c> open; a
    /// description naming no call (<c>audit startup</c>) gives the AUE_ name, an unknown event its number.
    /// </summary>
    public static string Syscall(int eventType) =>
        Table.TryGetValue(eventType, out var entry) ? entry.Syscall : eventType.ToString(CultureInfo.InvariantCulture);

    private static Dictionary<int, (string Name, string Syscall)> Load()
    {
        using var stream = typeof(BsmEvents).Assembly.GetManifestResourceStream("Vigil.Bsm.audit_event")
            ?? throw new InvalidOperationException("The audit_event resource is missing from the build.");
        using var reader = new StreamReader(stream);
        var table = new Dictionary<int, (string, string)>();
        while (reader.ReadLine() is { } line)
        {
            var fields = line.Split(':');
            if (line.StartsWith('#') || fields.Length < 3 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                continue;
            }

            table.TryAdd(number, (fields[1], SyscallOf(fields[1], fields[2])));
        }

        return table;
    }

    private static string SyscallOf(string name, string description)
    {
        var open = description.IndexOf('(');
        var call = open > 0 ? description[..open] : string.Empty;
        return call.Length > 0 && call.All(static c => char.IsAsciiLetterOrDigit(c) || c == '_') ? call : name;
    }
}
