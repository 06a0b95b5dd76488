namespace Vigil.KernelAbi;

/// <summary>
/// Syscall names and numbers per audit architecture (AUDIT_ARCH_*, the <c>arch=</c> of a record and of a rule), from
/// the kernel's unistd headers: tools/gen-kernel-abi.sh writes one SyscallTable.&lt;arch&gt;.g.cs per architecture.
/// </summary>
public static partial class SyscallTable
{
    /// <summary>The name of syscall <paramref name="number"/> on <paramref name="arch"/>, or null when unknown.</summary>
    public static string? GetName(uint arch, int number) => Table(arch)?.GetName(number);

    /// <summary>The number of the syscall named <paramref name="name"/> on <paramref name="arch"/>.</summary>
    public static bool TryGetNumber(uint arch, string name, out int number)
    {
        if (Table(arch) is not { } table)
        {
            number = -1;
            return false;
        }

        return table.TryGetNumber(name, out number);
    }

    /// <summary>Whether Vigil has a syscall table for <paramref name="arch"/>.</summary>
    public static bool HasTable(uint arch) => Table(arch) is not null;

    /// <summary>__AUDIT_ARCH_LE (include/uapi/linux/audit.h): set in the arch of a little-endian ABI.</summary>
    private const uint ArchLittleEndian = 0x40000000;

    /// <summary>Whether <paramref name="arch"/>'s ABI is big-endian (ppc64, s390x), so its structs' fields are.</summary>
    public static bool IsBigEndian(uint arch) => (arch & ArchLittleEndian) == 0;

    // One line per architecture with a generated table.
    private static ArchSyscalls? Table(uint arch) => arch switch
    {
        ArchX86_64 => X86_64.Syscalls,
        ArchI386 => I386.Syscalls,
        ArchAarch64 => Aarch64.Syscalls,
        ArchArm => Arm.Syscalls,
        ArchPpc64 or ArchPpc64le => Ppc64.Syscalls,
        ArchS390x => S390x.Syscalls,
        ArchRiscv64 => Riscv64.Syscalls,
        ArchLoongarch64 => Loongarch64.Syscalls,
        _ => null,
    };

    /// <summary>One architecture's syscalls, by number and by name.</summary>
    private sealed class ArchSyscalls
    {
        private readonly Dictionary<int, string> _names;
        private readonly Dictionary<string, int> _numbers;

        public ArchSyscalls(Dictionary<int, string> names)
        {
            _names = names;
            _numbers = new Dictionary<string, int>(names.Count, StringComparer.Ordinal);
            foreach (var (number, name) in names)
            {
                _numbers[name] = number;
            }
        }

        public string? GetName(int number) => _names.GetValueOrDefault(number);

        public bool TryGetNumber(string name, out int number) => _numbers.TryGetValue(name, out number);
    }
}
