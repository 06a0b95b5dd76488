using Vigil.Tables;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.Tables;

public sealed class AccountTablesTests
{
    [Fact]
    public void Schemas_are_osquerys_with_the_other_platforms_columns_hidden()
    {
        Assert.Equal(
            ["uid", "gid", "uid_signed", "gid_signed", "username", "description", "directory", "shell", "uuid",
             "type*", "is_hidden*", "pid_with_namespace*", "include_remote*"],
            SchemaText.Of(UsersTable.Schema));
        Assert.Equal(["gid", "gid_signed", "groupname", "group_sid*", "comment*", "is_hidden*", "pid_with_namespace*"], SchemaText.Of(GroupsTable.Schema));
    }

    [Fact]
    public void Users_are_the_entries_of_etc_passwd()
    {
        var expected = File.ReadAllLines("/etc/passwd").Where(line => line.Length > 0 && line[0] != '#').Select(line => line.Split(':'))
            .Select(f => $"{f[2]}|{f[3]}|{f[2]}|{f[3]}|{f[0]}|{f[4]}|{f[5]}|{f[6]}||||0|0");

        var actual = new UsersTable().Generate().Select(row => string.Join('|', row.Select(value => value.ToString())));

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Groups_are_the_entries_of_etc_group_each_gid_once()
    {
        var seen = new HashSet<string>();
        var expected = File.ReadAllLines("/etc/group").Where(line => line.Length > 0 && line[0] != '#').Select(line => line.Split(':'))
            .Where(f => seen.Add(f[2])).Select(f => $"{f[2]}|{f[2]}|{f[0]}||||0");

        var actual = new GroupsTable().Generate().Select(row => string.Join('|', row.Select(value => value.ToString())));

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Passwd_lines_are_read_as_glibcs_files_database_reads_them()
    {
        using var directory = new TempDirectory();
        var passwd = directory.File("passwd");
        File.WriteAllText(passwd, "# comment\n\n  alice:x:1000:1000:Alice A,,,:/home/alice:/bin/bash\nbroken:x:abc:1:::\nnobody:x:4294967294:4294967295:::\nshort:x:7:7\nodd:x:8:8:a:b:/bin/sh:extra\n");

        var rows = new UsersTable(passwd).Generate().Select(values => new TableRow(UsersTable.Schema, values)).ToList();

        Assert.Equal(["alice", "nobody", "short", "odd"], rows.Select(row => row.Text("username")));
        Assert.Equal((1000L, 1000L, "Alice A,,,", "/home/alice", "/bin/bash"), (rows[0].Integer("uid"), rows[0].Integer("gid"), rows[0].Text("description"), rows[0].Text("directory"), rows[0].Text("shell")));
        Assert.Equal((4294967294L, -2L, 4294967295L, -1L), (rows[1].Integer("uid"), rows[1].Integer("uid_signed"), rows[1].Integer("gid"), rows[1].Integer("gid_signed")));
        Assert.Equal((string.Empty, string.Empty, string.Empty), (rows[2].Text("description"), rows[2].Text("directory"), rows[2].Text("shell")));
        Assert.Equal("/bin/sh:extra", rows[3].Text("shell"));
        Assert.Equal((string.Empty, string.Empty), (rows[0].Text("uuid"), rows[0].Text("type")));
        Assert.True(rows[0].IsNull("is_hidden"));
    }

    [Fact]
    public void A_gid_listed_twice_keeps_its_first_group()
    {
        using var directory = new TempDirectory();
        var group = directory.File("group");
        File.WriteAllText(group, "wheel:x:10:alice\nstaff:x:10:bob\nusers:x:100:\n");

        var rows = new GroupsTable(group).Generate().Select(values => new TableRow(GroupsTable.Schema, values)).ToList();

        Assert.Equal(["wheel", "users"], rows.Select(row => row.Text("groupname")));
    }
}
