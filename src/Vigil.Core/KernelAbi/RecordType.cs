using System.Buffers.Text;

namespace Vigil.KernelAbi;

/// <summary>
/// Audit record types and the names auditd writes for them in <c>type=</c>. The kernel's own come from
/// include/uapi/linux/audit.h (RecordType.g.cs, written by tools/gen-kernel-abi.sh); this part adds the types that
/// header does not define, with the reason for each group.
/// </summary>
public static partial class RecordType
{
    // User-space types, from libaudit (audit-userspace lib/audit-records.h): the kernel header reserves their ranges,
    // AUDIT_FIRST_USER_MSG..AUDIT_LAST_USER_MSG, 1200-1299 for auditd and AUDIT_FIRST_USER_MSG2..AUDIT_LAST_USER_MSG2,
    // but defines only AUDIT_USER_AVC, AUDIT_USER_TTY and AUDIT_DAEMON_START..AUDIT_DAEMON_CONFIG among them.
    public const int UserAuth = 1100;
    public const int UserAcct = 1101;
    public const int UserMgmt = 1102;
    public const int CredAcq = 1103;
    public const int CredDisp = 1104;
    public const int UserStart = 1105;
    public const int UserEnd = 1106;
    public const int UserChauthtok = 1108;
    public const int UserErr = 1109;
    public const int CredRefr = 1110;
    public const int UsysConfig = 1111;
    public const int UserLogin = 1112;
    public const int UserLogout = 1113;
    public const int AddUser = 1114;
    public const int DelUser = 1115;
    public const int AddGroup = 1116;
    public const int DelGroup = 1117;
    public const int UserCmd = 1123;
    public const int SystemBoot = 1127;
    public const int SystemShutdown = 1128;
    public const int SystemRunlevel = 1129;
    public const int ServiceStart = 1130;
    public const int ServiceStop = 1131;
    public const int SoftwareUpdate = 1138;
    public const int DaemonReconfig = 1204;
    public const int DaemonRotate = 1205;
    public const int DaemonResume = 1206;

    /// <summary>AUDIT_FIRST_DAEMON (libaudit): auditd's own records, with auditd's serials, run to 1299.</summary>
    public const int FirstDaemon = 1200;

    /// <summary>AUDIT_LAST_DAEMON (libaudit).</summary>
    public const int LastDaemon = 1299;

    /// <summary>
    /// Vigil's own type for a whole BSM record read from a trail (its body is the record's bytes): past the 16 bits of
    /// a netlink message type, so neither the kernel nor a log line can give it.
    /// </summary>
    public const int Bsm = 0x10000;

    internal static readonly Dictionary<int, string> UserSpaceNames = new()
    {
        [UserAuth] = "USER_AUTH", [UserAcct] = "USER_ACCT", [UserMgmt] = "USER_MGMT", [CredAcq] = "CRED_ACQ",
        [CredDisp] = "CRED_DISP", [UserStart] = "USER_START", [UserEnd] = "USER_END",
        [UserChauthtok] = "USER_CHAUTHTOK", [UserErr] = "USER_ERR", [CredRefr] = "CRED_REFR",
        [UsysConfig] = "USYS_CONFIG", [UserLogin] = "USER_LOGIN", [UserLogout] = "USER_LOGOUT",
        [AddUser] = "ADD_USER", [DelUser] = "DEL_USER", [AddGroup] = "ADD_GROUP", [DelGroup] = "DEL_GROUP",
        [1118] = "DAC_CHECK", [1119] = "CHGRP_ID", [1120] = "TEST", [1121] = "TRUSTED_APP",
        [1122] = "USER_SELINUX_ERR", [UserCmd] = "USER_CMD", [1125] = "CHUSER_ID", [1126] = "GRP_AUTH",
        [SystemBoot] = "SYSTEM_BOOT", [SystemShutdown] = "SYSTEM_SHUTDOWN", [SystemRunlevel] = "SYSTEM_RUNLEVEL",
        [ServiceStart] = "SERVICE_START", [ServiceStop] = "SERVICE_STOP", [1132] = "GRP_MGMT",
        [1133] = "GRP_CHAUTHTOK", [1134] = "MAC_CHECK", [1135] = "ACCT_LOCK", [1136] = "ACCT_UNLOCK",
        [1137] = "USER_DEVICE", [SoftwareUpdate] = "SOFTWARE_UPDATE",
        [DaemonReconfig] = "DAEMON_RECONFIG", [DaemonRotate] = "DAEMON_ROTATE", [DaemonResume] = "DAEMON_RESUME",
        [1207] = "DAEMON_ACCEPT", [1208] = "DAEMON_CLOSE", [1209] = "DAEMON_ERR",
        [2100] = "ANOM_LOGIN_FAILURES", [2101] = "ANOM_LOGIN_TIME", [2102] = "ANOM_LOGIN_SESSIONS",
        [2103] = "ANOM_LOGIN_ACCT", [2104] = "ANOM_LOGIN_LOCATION", [2105] = "ANOM_MAX_DAC",
        [2106] = "ANOM_MAX_MAC", [2107] = "ANOM_AMTU_FAIL", [2108] = "ANOM_RBAC_FAIL",
        [2109] = "ANOM_RBAC_INTEGRITY_FAIL", [2110] = "ANOM_CRYPTO_FAIL", [2111] = "ANOM_ACCESS_FS",
        [2112] = "ANOM_EXEC", [2113] = "ANOM_MK_EXEC", [2114] = "ANOM_ADD_ACCT", [2115] = "ANOM_DEL_ACCT",
        [2116] = "ANOM_MOD_ACCT", [2117] = "ANOM_ROOT_TRANS", [2118] = "ANOM_LOGIN_SERVICE",
        [2119] = "ANOM_LOGIN_ROOT", [2120] = "ANOM_ORIGIN_FAILURES", [2121] = "ANOM_SESSION",
        [2300] = "USER_ROLE_CHANGE", [2301] = "ROLE_ASSIGN", [2302] = "ROLE_REMOVE", [2303] = "LABEL_OVERRIDE",
        [2304] = "LABEL_LEVEL_CHANGE", [2305] = "USER_LABELED_EXPORT", [2306] = "USER_UNLABELED_EXPORT",
        [2307] = "DEV_ALLOC", [2308] = "DEV_DEALLOC", [2309] = "FS_RELABEL", [2310] = "USER_MAC_POLICY_LOAD",
        [2311] = "ROLE_MODIFY", [2312] = "USER_MAC_CONFIG_CHANGE", [2313] = "USER_MAC_STATUS",
        [2400] = "CRYPTO_TEST_USER", [2401] = "CRYPTO_PARAM_CHANGE_USER", [2402] = "CRYPTO_LOGIN",
        [2403] = "CRYPTO_LOGOUT", [2404] = "CRYPTO_KEY_USER", [2405] = "CRYPTO_FAILURE_USER",
        [2406] = "CRYPTO_REPLAY_USER", [2407] = "CRYPTO_SESSION", [2408] = "CRYPTO_IKE_SA",
        [2409] = "CRYPTO_IPSEC_SA",
        [2500] = "VIRT_CONTROL", [2501] = "VIRT_RESOURCE", [2502] = "VIRT_MACHINE_ID",
        [2503] = "VIRT_INTEGRITY_CHECK", [2504] = "VIRT_CREATE", [2505] = "VIRT_DESTROY",
        [2506] = "VIRT_MIGRATE_IN", [2507] = "VIRT_MIGRATE_OUT",
    };

    // Kernel types the generating header (Debian 12's linux-libc-dev, Linux 6.1) lacks. AppArmor's records are not in
    // any uapi header; libaudit defines them (lib/audit-records.h). LANDLOCK_ACCESS and LANDLOCK_DOMAIN came into
    // linux/audit.h after 6.1. MAC_TASK_CONTEXTS and MAC_OBJ_CONTEXTS keep 1420 and 1421, the numbers the LSM-stacking
    // patches first proposed; current linux/audit.h gives 1420-1422 to IPE and these two names 1425 and 1426.
    internal static readonly Dictionary<int, string> NewerKernelNames = new()
    {
        [1420] = "MAC_TASK_CONTEXTS", [1421] = "MAC_OBJ_CONTEXTS", [1423] = "LANDLOCK_ACCESS",
        [1424] = "LANDLOCK_DOMAIN",
        [1501] = "APPARMOR_AUDIT", [1502] = "APPARMOR_ALLOWED", [1503] = "APPARMOR_DENIED",
        [1504] = "APPARMOR_HINT", [1505] = "APPARMOR_STATUS", [1506] = "APPARMOR_ERROR", [1507] = "APPARMOR_KILL",
    };

    // The header's names win: a name listed above that a newer header defines is then the header's.
    private static readonly Dictionary<int, string> Names = Merge(KernelNames(), UserSpaceNames, NewerKernelNames);

    /// <summary>
    /// Every name's bytes with its type, by the name's length, each with its first eight bytes as one number: a
    /// record's type is found by one compare of a number for most names of its length (this runs for every record of a
    /// log file, where a look-up through strings showed in the profile).
    /// </summary>
    private static readonly (ulong Head, byte[] Name, int Type)[][] ByLength = NamesByLength(Names);

    /// <summary>The length every name in the table stays within, which sizes the look-up by length.</summary>
    internal const int MaxNameLength = 32;

    /// <summary>The auditd name of <paramref name="type"/>, or <c>UNKNOWN[type]</c> as auditd writes it.</summary>
    public static string GetName(int type) =>
        Names.TryGetValue(type, out var name) ? name : $"UNKNOWN[{type}]";

    /// <summary>
    /// The number of a <c>type=</c> name (ASCII bytes): a known name, or <c>UNKNOWN[1234]</c>.
    /// </summary>
    public static bool TryGetNumber(ReadOnlySpan<byte> name, out int type)
    {
        if ("UNKNOWN["u8.Length < name.Length && name.StartsWith("UNKNOWN["u8) && name[^1] == (byte)']')
        {
            var digits = name["UNKNOWN[".Length..^1];
            return Utf8Parser.TryParse(digits, out type, out var consumed) && consumed == digits.Length && type is >= 0 and <= ushort.MaxValue;
        }

        type = 0;
        if (name.IsEmpty || name.Length > MaxNameLength)
        {
            return false;
        }

        var head = LeadingWord.Of(name);
        foreach (var (entryHead, entryName, entryType) in ByLength[name.Length])
        {
            if (entryHead == head && name.SequenceEqual(entryName))
            {
                type = entryType;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Types the kernel or a user-space program sends as one record with its own serial, complete on arrival:
    /// AUDIT_USER, the user-space ranges 1100–1199 and 2100–2999, auditd's DAEMON_* records and AUDIT_KERNEL; and a
    /// BSM record, a whole event by itself.
    /// </summary>
    public static bool IsStandalone(int type) =>
        type == User || type == Kernel || (type >= FirstUserMsg && type <= LastDaemon)
        || (type >= FirstUserMsg2 && type <= LastUserMsg2) || type == Bsm;

    /// <summary>
    /// Records whose serial is not the kernel's counter, so no gap is counted from them: auditd's DAEMON_* records
    /// carry auditd's own, a BSM record none.
    /// </summary>
    public static bool HasOwnSerial(int type) => IsDaemon(type) || type == Bsm;

    /// <summary>auditd's DAEMON_* records carry auditd's own serials, not the kernel's counter.</summary>
    public static bool IsDaemon(int type) => type >= FirstDaemon && type <= LastDaemon;

    private static Dictionary<int, string> Merge(
        Dictionary<int, string> header, params ReadOnlySpan<Dictionary<int, string>> others)
    {
        foreach (var other in others)
        {
            foreach (var (type, name) in other)
            {
                header.TryAdd(type, name);
            }
        }

        return header;
    }

    private static (ulong Head, byte[] Name, int Type)[][] NamesByLength(Dictionary<int, string> names)
    {
        var byLength = new List<(ulong, byte[], int)>[MaxNameLength + 1];
        for (var length = 0; length <= MaxNameLength; length++)
        {
            byLength[length] = [];
        }

        foreach (var (number, name) in names)
        {
            var bytes = System.Text.Encoding.ASCII.GetBytes(name);
            byLength[bytes.Length].Add((LeadingWord.Of(bytes), bytes, number));
        }

        var table = new (ulong, byte[], int)[MaxNameLength + 1][];
        for (var length = 0; length <= MaxNameLength; length++)
        {
            table[length] = [.. byLength[length]];
        }

        return table;
    }
}
