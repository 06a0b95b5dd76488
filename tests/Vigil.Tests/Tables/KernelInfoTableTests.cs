using Vigil.Tables;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.Tables;

public sealed class KernelInfoTableTests
{
    [Fact]
    public void This_kernel_is_read_from_proc_version_and_proc_cmdline()
    {
        var arguments = File.ReadAllText("/proc/cmdline").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var row = new TableRow(KernelInfoTable.Schema, Assert.Single(new KernelInfoTable().Generate()));

        Assert.Equal(File.ReadAllText("/proc/version").Split(' ')[2], row.Text("version"));
        Assert.Equal(HostCommand.Run("uname", "-r").Trim(), row.Text("version"));
        Assert.Equal(string.Join(' ', arguments.Where(a => !a.StartsWith("BOOT_IMAGE=", StringComparison.Ordinal) && !a.StartsWith("root=", StringComparison.Ordinal))), row.Text("arguments"));
        Assert.Equal(arguments.FirstOrDefault(a => a.StartsWith("BOOT_IMAGE=", StringComparison.Ordinal))?["BOOT_IMAGE=".Length..] ?? string.Empty, row.Text("path"));
        Assert.Equal(arguments.FirstOrDefault(a => a.StartsWith("root=", StringComparison.Ordinal))?["root=".Length..] ?? string.Empty, row.Text("device"));
    }

    [Fact]
    public void Boot_image_and_root_are_taken_out_of_the_arguments()
    {
        using var proc = new TempDirectory();
        File.WriteAllText(proc.File("cmdline"), "BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64 root=UUID=1234-abcd ro  quiet\n");
        File.WriteAllText(proc.File("version"), "Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) #1 SMP\n");

        Assert.Equal(
            ["6.1.0-18-amd64", "ro quiet", "/boot/vmlinuz-6.1.0-18-amd64", "UUID=1234-abcd"],
            Assert.Single(new KernelInfoTable(proc.Path).Generate()).Select(value => value.Text));
    }
}
