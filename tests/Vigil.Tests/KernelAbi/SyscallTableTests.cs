using Vigil.KernelAbi;
using Xunit;

namespace Vigil.Tests.KernelAbi;

public class SyscallTableTests
{
    [Theory]
    [InlineData(0xC000003Eu, 59, "execve")]
    [InlineData(0xC000003Eu, 0, "read")]
    [InlineData(0xC000003Eu, 42, "connect")]
    [InlineData(0x40000003u, 11, "execve")]
    [InlineData(0x40000003u, 362, "connect")]
    public void Names_and_numbers_per_architecture(uint arch, int number, string name)
    {
        Assert.Equal(name, SyscallTable.GetName(arch, number));
        Assert.True(SyscallTable.TryGetNumber(arch, name, out var found));
        Assert.Equal(number, found);
    }

    [Fact]
    public void Arch_constants_are_the_kernels_audit_arch_values()
    {
        Assert.Equal(0xC000003Eu, SyscallTable.ArchX86_64);
        Assert.Equal(0x40000003u, SyscallTable.ArchI386);
        Assert.Equal(0xC00000B7u, SyscallTable.ArchAarch64);
        Assert.Equal(0x80000016u, SyscallTable.ArchS390x);
        Assert.Equal(0xC00000F3u, SyscallTable.ArchRiscv64);
        Assert.Equal(0xC0000102u, SyscallTable.ArchLoongarch64);
        Assert.Equal(0xC0000015u, SyscallTable.ArchPpc64le);
    }

    [Fact]
    public void An_architecture_without_a_table_knows_no_syscall()
    {
        Assert.Null(SyscallTable.GetName(SyscallTable.ArchAarch64, 221));
        Assert.False(SyscallTable.TryGetNumber(SyscallTable.ArchAarch64, "execve", out var number));
        Assert.Equal(-1, number);
        Assert.Null(SyscallTable.GetName(SyscallTable.ArchX86_64, 100_000));
        Assert.False(SyscallTable.TryGetNumber(SyscallTable.ArchX86_64, "no_such_call", out _));
    }
}
