using Vigil.Tables;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.Tables;

public sealed class OsVersionTableTests
{
    [Fact]
    public void Schema_is_osquerys_with_the_other_platforms_columns_hidden()
    {
        Assert.Equal(
            ["name", "version", "major", "minor", "patch", "build", "platform", "platform_like", "codename", "arch",
             "extra*", "install_date*", "revision*", "pid_with_namespace*", "mount_namespace_id*"],
            SchemaText.Of(OsVersionTable.Schema));
    }

    [Fact]
    public void This_host_is_read_from_etc_os_release_and_uname()
    {
        var release = new Dictionary<string, string>();
        foreach (var line in File.ReadAllLines("/etc/os-release"))
        {
            var equals = line.IndexOf('=');
            if (equals > 0)
            {
                release[line[..equals]] = line[(equals + 1)..].Trim('"');
            }
        }

        var row = new TableRow(OsVersionTable.Schema, Assert.Single(new OsVersionTable().Generate()));
        var version = release["VERSION_ID"].Split('.');
        Assert.Equal(release["NAME"], row.Text("name"));
        Assert.Equal(release.GetValueOrDefault("VERSION", string.Empty), row.Text("version"));
        Assert.Equal(long.Parse(version[0]), row.Integer("major"));
        Assert.Equal(version.Length > 1 ? long.Parse(version[1]) : 0, row.Integer("minor"));
        Assert.Equal(release["ID"], row.Text("platform"));
        Assert.Equal(release.GetValueOrDefault("ID_LIKE", string.Empty), row.Text("platform_like"));
        Assert.Equal(release.GetValueOrDefault("VERSION_CODENAME", string.Empty), row.Text("codename"));
        Assert.Equal(HostCommand.Run("uname", "-m").Trim(), row.Text("arch"));
        Assert.Equal(string.Empty, row.Text("extra"));
        Assert.True(row.IsNull("install_date"));
        Assert.Equal(0, row.Integer("pid_with_namespace"));
    }

    [Fact]
    public void Os_release_values_are_read_as_osquery_reads_them()
    {
        using var etc = new TempDirectory();
        File.WriteAllText(etc.File("os-release"), """
            NAME="Ubuntu"
            VERSION="22.04.4 LTS (Jammy Jellyfish)"
            ID=ubuntu
            ID_LIKE=debian
            # a comment line has no '=' osquery maps
            VERSION_ID="22.04"
            UBUNTU_CODENAME=jammy
            BUILD_ID="a=b"
            PRETTY_NAME="Ubuntu 22.04.4 LTS"
            """);

        var row = new TableRow(OsVersionTable.Schema, Assert.Single(new OsVersionTable(etc.Path).Generate()));

        Assert.Equal("Ubuntu", row.Text("name"));
        Assert.Equal("22.04.4 LTS (Jammy Jellyfish)", row.Text("version"));
        Assert.Equal(22, row.Integer("major"));
        Assert.Equal(4, row.Integer("minor"));
        Assert.Equal(0, row.Integer("patch"));
        Assert.Equal("ubuntu", row.Text("platform"));
        Assert.Equal("debian", row.Text("platform_like"));
        Assert.Equal("jammy", row.Text("codename"));
        Assert.Equal("a=b", row.Text("build"));
    }

    [Fact]
    public void An_empty_os_release_keeps_osquerys_defaults()
    {
        using var etc = new TempDirectory();
        File.WriteAllText(etc.File("os-release"), string.Empty);

        var row = new TableRow(OsVersionTable.Schema, Assert.Single(new OsVersionTable(etc.Path).Generate()));

        Assert.Equal(("Unknown", 0L, 0L, 0L, "posix", string.Empty), (row.Text("name"), row.Integer("major"), row.Integer("minor"), row.Integer("patch"), row.Text("platform"), row.Text("version")));
    }

    [Fact]
    public void An_older_redhat_release_overrides_the_version()
    {
        using var etc = new TempDirectory();
        File.WriteAllText(etc.File("os-release"), "NAME=\"CentOS Linux\"\nID=\"centos\"\nVERSION_ID=\"7\"\n");
        File.WriteAllText(etc.File("redhat-release"), "CentOS Linux release 7.9.2009 (Core)\n");

        var row = new TableRow(OsVersionTable.Schema, Assert.Single(new OsVersionTable(etc.Path).Generate()));

        Assert.Equal("CentOS Linux release 7.9.2009 (Core)", row.Text("version"));
        Assert.Equal("CentOS Linux", row.Text("name"));
        Assert.Equal((7L, 9L, 2009L), (row.Integer("major"), row.Integer("minor"), row.Integer("patch")));
        Assert.Equal(("rhel", "rhel", string.Empty), (row.Text("platform"), row.Text("platform_like"), row.Text("build")));
    }
}
