using System.Net;
using Vigil.Tables;
using Vigil.Tests.Bsm;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.Tables;

/// <summary>process_events from BSM trails, through the same replay and router as auditd logs.</summary>
public sealed class BsmProcessEventsRowsTests
{
    private static readonly string[] Columns =
    [
        "pid", "path", "mode", "cmdline", "cmdline_size", "env", "env_count", "env_size", "cwd", "auid", "uid", "euid",
        "gid", "egid", "owner_uid", "owner_gid", "atime", "mtime", "ctime", "btime", "overflows", "parent", "time",
        "uptime", "eid", "status", "fsuid", "suid", "fsgid", "sgid", "syscall",
    ];

    private static ProcessEventsTable Table() => new(new FixedUptime(TableFixture.Uptime), new FakeFileTimes([]));

    private static List<TableRow> Rows(BsmTrailWriter trail)
    {
        using var directory = new TempDirectory();
        var path = directory.File("trail.bsm");
        File.WriteAllBytes(path, trail.ToArray());
        return TableFixture.RowsOfFile(Table(), path);
    }

    [Fact]
    public void A_freebsd_exec_is_a_row_with_every_column()
    {
        var row = Assert.Single(TableFixture.RowsOfFile(Table(), BsmFixtures.PathOf("execve-long-args.trail")));

        const string cmdline = "grep au_fetch_tok Makefile Makefile.am Makefile.in au_class.3 au_control.3 au_event.3 au_free_token.3 "
            + "au_io.3 au_mask.3 au_open.3 au_token.3 au_user.3 audit_submit.3 bsm_audit.c bsm_audit.lo bsm_audit.o bsm_class.c "
            + "bsm_class.lo bsm_class.o bsm_control.c bsm_control.lo bsm_control.o bsm_event.c bsm_event.lo bsm_event.o bsm_flags.c "
            + "bsm_flags.lo bsm_flags.o bsm_io.c bsm_io.lo bsm_io.o bsm_mask.c bsm_mask.lo bsm_mask.o bsm_notify.c bsm_notify.lo "
            + "bsm_notify.o bsm_token.c bsm_token.lo bsm_token.o bsm_user.c bsm_user.lo bsm_user.o bsm_wrappers.c bsm_wrappers.lo "
            + "bsm_wrappers.o libbsm.3 libbsm.la";
        Assert.Equal(
            $"50009|/usr/bin/grep|0555|{cmdline}|{cmdline.Length}||0|0||1000|1000|1000|1000|1000|0|0|NULL|NULL|NULL|NULL||-1|1158613982|4242||0|NULL|NULL|NULL|NULL|execve",
            row.Values(Columns));
    }

    [Fact]
    public void A_spawn_after_a_fork_has_its_parent_environment_and_64_bit_attributes()
    {
        var trail = new BsmTrailWriter()
            .Record(2, 1_700_000_000, tokens => tokens.Arg32(0, 812, "child PID").Subject32(501, 501, 20, 501, 20, 700).Return32(0, 812))
            .Record(43190, 1_700_000_001, tokens => tokens
                .ExecArgs("/usr/bin/curl", "-s", "https://example.com")
                .ExecEnv("HOME=/Users/ann", "LANG=en_US.UTF-8")
                .Path("/usr/bin/curl")
                .Attr64(0x81ed, 0, 0)
                .SubjectEx(501, 0, 20, 501, 20, 812, IPAddress.Parse("10.0.0.5"), wide: true)
                .Return64(0, 813)
                .Identity("com.apple.curl", "", [0xab]), wide: true);

        var row = Assert.Single(Rows(trail));

        Assert.Equal(
            "812|/usr/bin/curl|0100755|/usr/bin/curl -s https://example.com|36|HOME=/Users/ann LANG=en_US.UTF-8|2|32|501|501|0|20|20|0|0|700|1700000001|0|posix_spawn",
            row.Values("pid", "path", "mode", "cmdline", "cmdline_size", "env", "env_count", "env_size", "auid", "uid", "euid", "gid", "egid",
                "owner_uid", "owner_gid", "parent", "time", "status", "syscall"));
    }

    [Fact]
    public void A_failed_exec_is_a_row_with_its_error_and_other_events_are_none()
    {
        var trail = new BsmTrailWriter()
            .Record(23, 5, tokens => tokens.ExecArgs("nosuch").Path("/usr/bin/nosuch").Subject32(0, 0, 0, 0, 0, 9).Return32(2, -1))
            .Record(72, 6, tokens => tokens.Path("/etc/passwd").Subject32(0, 0, 0, 0, 0, 9).Return32(0, 3))
            .Record(1, 7, tokens => tokens.Exit(0, 0).Subject32(0, 0, 0, 0, 0, 9).Return32(0, 0));

        var row = Assert.Single(Rows(trail));

        Assert.Equal("9|/usr/bin/nosuch|NULL|nosuch|2|-1|execve", row.Values("pid", "path", "mode", "cmdline", "status", "parent", "syscall"));
    }
}
