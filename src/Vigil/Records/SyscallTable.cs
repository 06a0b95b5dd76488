namespace Vigil.Records;

/// <summary>Syscall names and numbers per audit architecture, from the kernel's unistd headers.</summary>
internal static partial class SyscallTable
{
    /// <summary>AUDIT_ARCH_X86_64 (include/uapi/linux/audit.h: EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE).</summary>
    public const uint ArchX86_64 = 0xC000003E;

    /// <summary>AUDIT_ARCH_I386 (EM_386 | __AUDIT_ARCH_LE).</summary>
    public const uint ArchI386 = 0x40000003;

    // Built on first use: the number tables live in the generated part, whose static initializers may run
    // after this file's, so inverting them in a field initializer sees null.
    private static Dictionary<string, int>? x86_64ByName;
    private static Dictionary<string, int>? i386ByName;

    private static Dictionary<string, int> X86_64ByName => x86_64ByName ??= Invert(X86_64);

    private static Dictionary<string, int> I386ByName => i386ByName ??= Invert(I386);

    /// <summary>The name of syscall <paramref name="number"/> on <paramref name="arch"/>, or null when unknown.</summary>
    public static string? GetName(uint arch, int number) =>
        Table(arch)?.GetValueOrDefault(number);

    /// <summary>The number of the syscall named <paramref name="name"/> on <paramref name="arch"/>.</summary>
    public static bool TryGetNumber(uint arch, string name, out int number)
    {
        var byName = arch == ArchI386 ? I386ByName : arch == ArchX86_64 ? X86_64ByName : null;
        if (byName is null)
        {
            number = -1;
            return false;
        }

        return byName.TryGetValue(name, out number);
    }

    private static Dictionary<int, string>? Table(uint arch) => arch switch
    {
        ArchX86_64 => X86_64,
        ArchI386 => I386,
        _ => null,
    };

    private static Dictionary<string, int> Invert(Dictionary<int, string> table)
    {
        var byName = new Dictionary<string, int>(table.Count, StringComparer.Ordinal);
        foreach (var (number, name) in table)
        {
            byName[name] = number;
        }

        return byName;
    }
}
