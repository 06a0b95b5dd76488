using System.Globalization;
using Vigil.Tables;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.Tables;

// In the kernel collection: the file-system fault tests there mount and unmount under /tmp, and a mount that goes
// between this test's read of /proc/mounts and its stat of each fails the run.
[Collection("Kernel")]
[Trait("Category", "Kernel")]
public sealed class MountsTableTests
{
    [Fact]
    public void Schema_is_osquerys()
    {
        Assert.Equal(
            ["device", "device_alias", "path", "type", "blocks_size", "blocks", "blocks_free", "blocks_available", "inodes", "inodes_free", "flags"],
            SchemaText.Of(MountsTable.Schema));
    }

    [Fact]
    public void Each_mount_of_proc_mounts_has_the_statfs_stat_reports()
    {
        // Free space moves while other work writes: a mount's free counts are compared in a run where stat read the
        // same counts just before and just after the table did. A run whose mount list changed under it (a container
        // or another program mounting) is read again.
        var checkedFree = new HashSet<string>(StringComparer.Ordinal);
        List<string[]> mounts = [];
        for (var attempt = 0; attempt < 50; attempt++)
        {
            mounts = ReadMounts();
            var before = Statfs(mounts);
            var rows = new MountsTable().Generate().Select(values => new TableRow(MountsTable.Schema, values)).ToList();
            var after = Statfs(mounts);
            if (!ReadMounts().SelectMany(f => f).SequenceEqual(mounts.SelectMany(f => f)))
            {
                continue;
            }

            Assert.Equal(mounts.Count, rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                var (device, path, type, options) = (mounts[i][0], mounts[i][1], mounts[i][2], mounts[i][3]);
                Assert.Equal((device, path, type, options), (row.Text("device"), row.Text("path"), row.Text("type"), row.Text("flags")));
                Assert.Equal(device.StartsWith('/') ? HostCommand.TryRun("realpath", "-e", device)?.Trim() ?? device : device, row.Text("device_alias"));
                Assert.Equal((before[i][0], before[i][1], before[i][4]), (row.Integer("blocks_size"), row.Integer("blocks"), row.Integer("inodes")));
                if (before[i].SequenceEqual(after[i]))
                {
                    Assert.Equal((before[i][2], before[i][3], before[i][5]), (row.Integer("blocks_free"), row.Integer("blocks_available"), row.Integer("inodes_free")));
                    checkedFree.Add($"{device} {path}");
                }
            }

            if (mounts.All(m => checkedFree.Contains($"{m[0]} {m[1]}")))
            {
                break;
            }
        }

        Assert.NotEmpty(mounts);
        Assert.All(mounts, m => Assert.Contains($"{m[0]} {m[1]}", checkedFree));
    }

    private static List<string[]> ReadMounts() =>
        [.. File.ReadAllLines("/proc/mounts").Select(line => line.Split(' ')).Select(f => f.Select(MountsTable.Unescape).ToArray())];

    [Fact]
    public void Escaped_fields_are_decoded_autofs_is_not_statted_and_a_failing_statfs_gives_zeros()
    {
        using var directory = new TempDirectory();
        var mounts = directory.File("mounts");
        File.WriteAllText(mounts, "/dev/sda1 /media/My\\040Disk ext4 rw\\011x 0 0\nsystemd-1 /proc/sys/fs/binfmt_misc autofs rw 0 0\nnone /nonexistent/mount tmpfs rw 0 0\n");

        var rows = new MountsTable(mounts).Generate().Select(values => new TableRow(MountsTable.Schema, values)).ToList();

        Assert.Equal(["/media/My Disk", "/proc/sys/fs/binfmt_misc", "/nonexistent/mount"], rows.Select(row => row.Text("path")));
        Assert.Equal("rw\tx", rows[0].Text("flags"));
        foreach (var row in rows.Skip(1))
        {
            Assert.Equal("0|0|0|0|0|0", row.Values("blocks_size", "blocks", "blocks_free", "blocks_available", "inodes", "inodes_free"));
        }
    }

    /// <summary>stat -f of each mount's path: f_bsize, blocks, free, available, inodes, free inodes.</summary>
    private static List<long[]> Statfs(List<string[]> mounts)
    {
        var lines = HostCommand.Run("stat", ["-f", "-c", "%s %b %f %a %c %d", .. mounts.Select(mount => mount[1])]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return [.. lines.Select(line => line.Split(' ').Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray())];
    }
}
