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
    [InlineData(0x40000003u, 102, "socketcall")]
    [InlineData(0xC00000B7u, 221, "execve")]
    [InlineData(0xC00000B7u, 203, "connect")]
    [InlineData(0x40000028u, 11, "execve")]
    [InlineData(0x40000028u, 282, "bind")]
    [InlineData(0x80000015u, 328, "connect")]
    [InlineData(0xC0000015u, 327, "bind")]
    [InlineData(0x80000016u, 362, "connect")]
    [InlineData(0xC00000F3u, 259, "riscv_flush_icache")]
    [InlineData(0xC0000102u, 281, "execveat")]
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
        Assert.Null(SyscallTable.GetName(SyscallTable.ArchMips64, 57));
        Assert.False(SyscallTable.TryGetNumber(SyscallTable.ArchMips64, "execve", out var number));
        Assert.Equal(-1, number);
        Assert.Null(SyscallTable.GetName(SyscallTable.ArchX86_64, 100_000));
        Assert.False(SyscallTable.TryGetNumber(SyscallTable.ArchX86_64, "no_such_call", out _));
    }

    [Fact]
    public void Loongarch64_has_no_fstat_as_in_its_kernel_headers()
    {
        // Its asm/unistd.h asks asm-generic for neither __ARCH_WANT_NEW_STAT nor __ARCH_WANT_STAT64.
        Assert.False(SyscallTable.TryGetNumber(SyscallTable.ArchLoongarch64, "fstat", out _));
        Assert.True(SyscallTable.TryGetNumber(SyscallTable.ArchAarch64, "fstat", out var fstat));
        Assert.Equal(80, fstat);
    }
}
