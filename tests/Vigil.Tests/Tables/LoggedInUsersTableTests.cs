using Vigil.Tables;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.Tables;

public sealed class LoggedInUsersTableTests
{
    [Fact]
    public void Schema_is_osquerys_with_the_windows_columns_hidden()
    {
        Assert.Equal(["type", "user", "tty", "host", "time", "pid", "sid*", "registry_hive*"], SchemaText.Of(LoggedInUsersTable.Schema));
    }

    // utmpdump (util-linux) writes the binary utmp file from its text form, so the records are glibc's own layout.
    [Fact]
    public void Utmp_records_are_read_as_getutxent_gives_them_except_init()
    {
        using var directory = new TempDirectory();
        var utmp = directory.File("utmp");
        HostCommand.Run("utmpdump", ["-r", "-o", utmp], string.Join('\n',
            "[2] [00000] [~~  ] [reboot  ] [~           ] [6.1.0-18-amd64      ] [0.0.0.0        ] [2024-03-01T10:00:00,000000+00:00]",
            "[1] [00051] [~~  ] [runlevel] [~           ] [6.1.0-18-amd64      ] [0.0.0.0        ] [2024-03-01T10:00:05,000000+00:00]",
            "[5] [00001] [1   ] [        ] [tty1        ] [                    ] [0.0.0.0        ] [2024-03-01T10:00:06,000000+00:00]",
            "[6] [00734] [tty1] [LOGIN   ] [tty1        ] [                    ] [0.0.0.0        ] [2024-03-01T10:00:07,000000+00:00]",
            "[7] [01234] [ts/0] [alice   ] [pts/0       ] [192.0.2.7           ] [192.0.2.7      ] [2024-03-01T11:22:33,123456+00:00]",
            "[8] [01300] [ts/1] [        ] [pts/1       ] [                    ] [0.0.0.0        ] [2024-03-01T12:00:00,000000+00:00]",
            string.Empty));

        var rows = new LoggedInUsersTable(utmp).Generate().Select(row => string.Join('|', row.Take(6).Select(value => value.ToString())));

        Assert.Equal(
            [
                "boot_time|reboot|~|6.1.0-18-amd64|1709287200|0",
                "runlevel|runlevel|~|6.1.0-18-amd64|1709287205|51",
                "login|LOGIN|tty1||1709287207|734",
                "user|alice|pts/0|192.0.2.7|1709292153|1234",
                "dead||pts/1||1709294400|1300",
            ],
            rows);
    }

    [Fact]
    public void A_missing_utmp_file_gives_no_rows()
    {
        Assert.Empty(new LoggedInUsersTable("/nonexistent/utmp").Generate());
    }
}
