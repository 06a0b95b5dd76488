using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Tables;

public sealed class UserEventsTableTests
{
    private static readonly UserEventsTable Table = new(new FixedUptime(7));

    [Fact]
    public void Schema_is_osquerys()
    {
        Assert.Equal(
            ["uid", "auid", "pid", "message", "type", "path", "address", "terminal", "time", "uptime", "eid*"],
            SchemaText.Of(UserEventsTable.Schema));
    }

    [Fact]
    public void Every_pam_record_of_su_is_a_row_of_its_type()
    {
        var rows = TableFixture.Rows(Table, "user.log");

        // USER_AUTH, USER_ACCT, CRED_ACQ, USER_START, USER_END, CRED_DISP for each of the three su runs.
        long[] oneRun = [1100, 1101, 1103, 1105, 1106, 1104];
        Assert.Equal([.. oneRun, .. oneRun, .. oneRun], rows.Select(row => row.Integer("type")));
        Assert.Equal([8152L, 8154L, 8157L], rows.Select(row => row.Integer("pid")).Distinct());
    }

    [Fact]
    public void A_pam_record_gives_its_whole_message_and_the_fields_inside_it()
    {
        var row = TableFixture.Rows(Table, "user.log")[0];

        Assert.Equal(0, row.Integer("uid"));
        Assert.Equal(4294967295, row.Integer("auid"));
        Assert.Equal(8152, row.Integer("pid"));
        Assert.Equal(
            "op=PAM:authentication grantors=pam_rootok acct=\"nobody\" exe=\"/usr/bin/su\" hostname=? addr=? terminal=? res=success",
            row.Text("message"));
        Assert.Equal(1100, row.Integer("type"));
        Assert.Equal("/usr/bin/su", row.Text("path"));
        Assert.Equal("?", row.Text("address"));
        Assert.Equal("?", row.Text("terminal"));
        Assert.Equal(1795268023, row.Integer("time"));
        Assert.Equal(7, row.Integer("uptime"));
        Assert.Equal("", row.Text("eid"));
    }

    [Fact]
    public void Su_on_a_terminal_names_it()
    {
        var row = Assert.Single(TableFixture.Rows(Table, "user.log"), row => row.Integer("pid") == 8157 && row.Integer("type") == 1105);

        Assert.Equal("/dev/pts/0", row.Text("terminal"));
        Assert.Equal(
            "op=PAM:session_open grantors=pam_env,pam_env,pam_mail,pam_limits,pam_permit,pam_unix acct=\"nobody\" exe=\"/usr/bin/su\" hostname=? addr=? terminal=/dev/pts/0 res=success",
            row.Text("message"));
    }

    [Fact]
    public void Kernel_syscall_events_are_not_user_events()
    {
        Assert.Empty(TableFixture.Rows(Table, "exec.log"));
        Assert.Empty(TableFixture.Rows(Table, "sockets.log"));
    }

    [Theory]
    [InlineData(1005, true)]
    [InlineData(1006, true)]
    [InlineData(1100, true)]
    [InlineData(1199, true)]
    [InlineData(2100, true)]
    [InlineData(2999, true)]
    [InlineData(1099, false)]
    [InlineData(1200, false)]
    [InlineData(1300, false)]
    [InlineData(3000, false)]
    public void User_record_types_are_audit_hs_user_ranges(int type, bool isUser) =>
        Assert.Equal(isUser, UserEventsTable.IsUserRecord(type));
}
