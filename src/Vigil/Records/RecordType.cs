using System.Buffers.Text;

namespace Vigil.Records;

/// <summary>
/// Audit record types (include/uapi/linux/audit.h) and the names auditd writes for them in <c>type=</c>.
/// </summary>
public static class RecordType
{
    public const int User = 1005;
    public const int Login = 1006;
    public const int UserAuth = 1100;
    public const int UserAcct = 1101;
    public const int UserMgmt = 1102;
    public const int CredAcq = 1103;
    public const int CredDisp = 1104;
    public const int UserStart = 1105;
    public const int UserEnd = 1106;
    public const int UserAvc = 1107;
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
    public const int UserTty = 1124;
    public const int SystemBoot = 1127;
    public const int SystemShutdown = 1128;
    public const int SystemRunlevel = 1129;
    public const int ServiceStart = 1130;
    public const int ServiceStop = 1131;
    public const int SoftwareUpdate = 1138;
    public const int DaemonStart = 1200;
    public const int DaemonEnd = 1201;
    public const int DaemonAbort = 1202;
    public const int DaemonConfig = 1203;
    public const int DaemonReconfig = 1204;
    public const int DaemonRotate = 1205;
    public const int DaemonResume = 1206;
    public const int Syscall = 1300;
    public const int Path = 1302;
    public const int Ipc = 1303;
    public const int Socketcall = 1304;
    public const int ConfigChange = 1305;
    public const int Sockaddr = 1306;
    public const int Cwd = 1307;
    public const int Execve = 1309;
    public const int FdPair = 1317;
    public const int ObjPid = 1318;
    public const int Tty = 1319;
    public const int Eoe = 1320;
    public const int BprmFcaps = 1321;
    public const int Capset = 1322;
    public const int Mmap = 1323;
    public const int NetfilterPkt = 1324;
    public const int NetfilterCfg = 1325;
    public const int Seccomp = 1326;
    public const int Proctitle = 1327;
    public const int FeatureChange = 1328;
    public const int Replace = 1329;
    public const int KernModule = 1330;
    public const int Fanotify = 1331;
    public const int TimeInjoffset = 1332;
    public const int TimeAdjntpval = 1333;
    public const int Bpf = 1334;
    public const int EventListener = 1335;
    public const int Uringop = 1336;
    public const int Openat2 = 1337;
    public const int DmCtrl = 1338;
    public const int DmEvent = 1339;
    public const int Avc = 1400;
    public const int SelinuxErr = 1401;
    public const int AnomPromiscuous = 1700;
    public const int AnomAbend = 1701;
    public const int AnomLink = 1702;
    public const int AnomCreat = 1703;
    public const int Kernel = 2000;

    private static readonly Dictionary<int, string> Names = new()
    {
        [User] = "USER", [Login] = "LOGIN",
        [UserAuth] = "USER_AUTH", [UserAcct] = "USER_ACCT", [UserMgmt] = "USER_MGMT", [CredAcq] = "CRED_ACQ",
        [CredDisp] = "CRED_DISP", [UserStart] = "USER_START", [UserEnd] = "USER_END", [UserAvc] = "USER_AVC",
        [UserChauthtok] = "USER_CHAUTHTOK", [UserErr] = "USER_ERR", [CredRefr] = "CRED_REFR",
        [UsysConfig] = "USYS_CONFIG", [UserLogin] = "USER_LOGIN", [UserLogout] = "USER_LOGOUT",
        [AddUser] = "ADD_USER", [DelUser] = "DEL_USER", [AddGroup] = "ADD_GROUP", [DelGroup] = "DEL_GROUP",
        [1118] = "DAC_CHECK", [1119] = "CHGRP_ID", [1120] = "TEST", [1121] = "TRUSTED_APP",
        [1122] = "USER_SELINUX_ERR", [UserCmd] = "USER_CMD", [UserTty] = "USER_TTY", [1125] = "CHUSER_ID",
        [1126] = "GRP_AUTH", [SystemBoot] = "SYSTEM_BOOT", [SystemShutdown] = "SYSTEM_SHUTDOWN",
        [SystemRunlevel] = "SYSTEM_RUNLEVEL", [ServiceStart] = "SERVICE_START", [ServiceStop] = "SERVICE_STOP",
        [1132] = "GRP_MGMT", [1133] = "GRP_CHAUTHTOK", [1134] = "MAC_CHECK", [1135] = "ACCT_LOCK",
        [1136] = "ACCT_UNLOCK", [1137] = "USER_DEVICE", [SoftwareUpdate] = "SOFTWARE_UPDATE",
        [DaemonStart] = "DAEMON_START", [DaemonEnd] = "DAEMON_END", [DaemonAbort] = "DAEMON_ABORT",
        [DaemonConfig] = "DAEMON_CONFIG", [DaemonReconfig] = "DAEMON_RECONFIG", [DaemonRotate] = "DAEMON_ROTATE",
        [DaemonResume] = "DAEMON_RESUME", [1207] = "DAEMON_ACCEPT", [1208] = "DAEMON_CLOSE", [1209] = "DAEMON_ERR",
        [Syscall] = "SYSCALL", [Path] = "PATH", [Ipc] = "IPC", [Socketcall] = "SOCKETCALL",
        [ConfigChange] = "CONFIG_CHANGE", [Sockaddr] = "SOCKADDR", [Cwd] = "CWD", [Execve] = "EXECVE",
        [1311] = "IPC_SET_PERM", [1312] = "MQ_OPEN", [1313] = "MQ_SENDRECV", [1314] = "MQ_NOTIFY",
        [1315] = "MQ_GETSETATTR", [1316] = "KERNEL_OTHER", [FdPair] = "FD_PAIR", [ObjPid] = "OBJ_PID",
        [Tty] = "TTY", [Eoe] = "EOE", [BprmFcaps] = "BPRM_FCAPS", [Capset] = "CAPSET", [Mmap] = "MMAP",
        [NetfilterPkt] = "NETFILTER_PKT", [NetfilterCfg] = "NETFILTER_CFG", [Seccomp] = "SECCOMP",
        [Proctitle] = "PROCTITLE", [FeatureChange] = "FEATURE_CHANGE", [Replace] = "REPLACE",
        [KernModule] = "KERN_MODULE", [Fanotify] = "FANOTIFY", [TimeInjoffset] = "TIME_INJOFFSET",
        [TimeAdjntpval] = "TIME_ADJNTPVAL", [Bpf] = "BPF", [EventListener] = "EVENT_LISTENER",
        [Uringop] = "URINGOP", [Openat2] = "OPENAT2", [DmCtrl] = "DM_CTRL", [DmEvent] = "DM_EVENT",
        [Avc] = "AVC", [SelinuxErr] = "SELINUX_ERR", [1402] = "AVC_PATH", [1403] = "MAC_POLICY_LOAD",
        [1404] = "MAC_STATUS", [1405] = "MAC_CONFIG_CHANGE", [1406] = "MAC_UNLBL_ALLOW",
        [1407] = "MAC_CIPSOV4_ADD", [1408] = "MAC_CIPSOV4_DEL", [1409] = "MAC_MAP_ADD", [1410] = "MAC_MAP_DEL",
        [1411] = "MAC_IPSEC_ADDSA", [1412] = "MAC_IPSEC_DELSA", [1413] = "MAC_IPSEC_ADDSPD",
        [1414] = "MAC_IPSEC_DELSPD", [1415] = "MAC_IPSEC_EVENT", [1416] = "MAC_UNLBL_STCADD",
        [1417] = "MAC_UNLBL_STCDEL", [1418] = "MAC_CALIPSO_ADD", [1419] = "MAC_CALIPSO_DEL",
        [1420] = "MAC_TASK_CONTEXTS", [1421] = "MAC_OBJ_CONTEXTS", [1423] = "LANDLOCK_ACCESS",
        [1424] = "LANDLOCK_DOMAIN",
        [1501] = "APPARMOR_AUDIT", [1502] = "APPARMOR_ALLOWED", [1503] = "APPARMOR_DENIED",
        [1504] = "APPARMOR_HINT", [1505] = "APPARMOR_STATUS", [1506] = "APPARMOR_ERROR", [1507] = "APPARMOR_KILL",
        [AnomPromiscuous] = "ANOM_PROMISCUOUS", [AnomAbend] = "ANOM_ABEND", [AnomLink] = "ANOM_LINK",
        [AnomCreat] = "ANOM_CREAT",
        [1800] = "INTEGRITY_DATA", [1801] = "INTEGRITY_METADATA", [1802] = "INTEGRITY_STATUS",
        [1803] = "INTEGRITY_HASH", [1804] = "INTEGRITY_PCR", [1805] = "INTEGRITY_RULE",
        [1806] = "INTEGRITY_EVM_XATTR", [1807] = "INTEGRITY_POLICY_RULE",
        [Kernel] = "KERNEL",
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

    private static readonly Dictionary<string, int> Numbers = Invert(Names);

    private static readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> NumbersBySpan =
        Numbers.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The longest name in the table, which bounds the stack buffer of a look-up.</summary>
    private const int MaxNameLength = 32;

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
            return Utf8Parser.TryParse(digits, out type, out var consumed) && consumed == digits.Length && type >= 0;
        }

        type = 0;
        if (name.IsEmpty || name.Length > MaxNameLength)
        {
            return false;
        }

        Span<char> chars = stackalloc char[MaxNameLength];
        for (var i = 0; i < name.Length; i++)
        {
            chars[i] = (char)name[i];
        }

        return NumbersBySpan.TryGetValue(chars[..name.Length], out type);
    }

    /// <summary>
    /// Types the kernel or a user-space program sends as one record with its own serial, complete on arrival:
    /// AUDIT_USER, the user-space ranges 1100–1199 and 2100–2999, auditd's DAEMON_* records and AUDIT_KERNEL.
    /// </summary>
    public static bool IsStandalone(int type) =>
        type == User || type == Kernel || (type >= 1100 && type <= 1299) || (type >= 2100 && type <= 2999);

    /// <summary>auditd's DAEMON_* records carry auditd's own serials, not the kernel's counter.</summary>
    public static bool IsDaemon(int type) => type >= 1200 && type <= 1299;

    private static Dictionary<string, int> Invert(Dictionary<int, string> names)
    {
        var numbers = new Dictionary<string, int>(names.Count, StringComparer.Ordinal);
        foreach (var (number, name) in names)
        {
            numbers.Add(name, number);
        }

        return numbers;
    }
}
