using Vigil.Flags;
using Vigil.Pipeline;
using Vigil.Platform;
using Vigil.Schedule;
using Vigil.Store;
using Vigil.Tests.Cli;
using Vigil.Tests.Kernel;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.Platform;

/// <summary>Root refuses configuration files others could have written, and keeps its own files to itself.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FilePermissionsTests
{
    private const UnixFileMode Mode0644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    [RootFact]
    public void A_root_owned_file_only_root_can_write_is_trusted()
    {
        using var directory = new TempDirectory();
        var file = Write(directory, "vigil.conf", Mode0644);

        Assert.Null(FilePermissions.WhyUntrusted(file));
        Assert.Null(FilePermissions.Refusal(file, "config"));
        Assert.Null(FilePermissions.WhyUntrusted(directory.File("missing")));
    }

    [RootFact]
    public void Group_or_other_writable_files_are_refused_with_their_mode()
    {
        using var directory = new TempDirectory();
        var group = Write(directory, "group.conf", Mode0644 | UnixFileMode.GroupWrite);
        var other = Write(directory, "other.conf", Mode0644 | UnixFileMode.OtherWrite);

        Assert.Equal("it is writable by its group (mode 0664)", FilePermissions.WhyUntrusted(group));
        Assert.Equal($"refusing config {other}: it is writable by others (mode 0646)", FilePermissions.Refusal(other, "config"));
    }

    [RootFact]
    public void A_file_owned_by_another_user_is_refused()
    {
        using var directory = new TempDirectory();
        var file = Write(directory, "vigil.conf", Mode0644);
        File.SetUnixFileMode(file, Mode0644);
        Chown(file, 65534);

        Assert.Equal("it is owned by uid 65534, not root", FilePermissions.WhyUntrusted(file));
    }

    [RootFact]
    public void A_directory_others_can_write_without_the_sticky_bit_is_refused()
    {
        using var directory = new TempDirectory();
        var file = Write(directory, "vigil.conf", Mode0644);
        var open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
            | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

        File.SetUnixFileMode(directory.Path, open);
        Assert.Equal($"its directory {directory.Path} is writable by others without the sticky bit (mode 0777)", FilePermissions.WhyUntrusted(file));

        File.SetUnixFileMode(directory.Path, open | UnixFileMode.StickyBit);
        Assert.Null(FilePermissions.WhyUntrusted(file));

        File.SetUnixFileMode(directory.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Chown(directory.Path, 65534);
        Assert.Equal($"its directory {directory.Path} is owned by uid 65534, not root", FilePermissions.WhyUntrusted(file));
        Chown(directory.Path, 0);
    }

    [RootFact]
    public void A_symlink_into_a_writable_directory_is_refused()
    {
        using var directory = new TempDirectory();
        var open = Directory.CreateDirectory(directory.File("open")).FullName;
        File.SetUnixFileMode(open, (UnixFileMode)0x1ff);
        var target = Write(directory, "open/vigil.conf", Mode0644);
        var link = directory.File("vigil.conf");
        File.CreateSymbolicLink(link, target);

        Assert.Equal($"its directory {open} is writable by others without the sticky bit (mode 0777)", FilePermissions.WhyUntrusted(link));
    }

    [RootFact]
    public void A_writable_flagfile_is_a_flag_error()
    {
        using var directory = new TempDirectory();
        var flagfile = Write(directory, "vigil.flags", Mode0644 | UnixFileMode.OtherWrite, "--verbose\n");

        var error = Assert.Throws<FlagException>(() => FlagParser.ForVigil().Parse(["--flagfile", flagfile]));

        Assert.Equal($"refusing flagfile {flagfile}: it is writable by others (mode 0646)", error.Message);
        File.SetUnixFileMode(flagfile, Mode0644);
        Assert.True(FlagParser.ForVigil().Parse(["--flagfile", flagfile]).Values.Get(VigilFlags.Verbose));
    }

    [RootFact]
    public void A_writable_config_or_pack_is_a_config_error()
    {
        using var directory = new TempDirectory();
        var pack = Write(directory, "pack.conf", Mode0644 | UnixFileMode.GroupWrite, "{\"queries\": {}}");
        var config = Write(directory, "vigil.conf", Mode0644 | UnixFileMode.GroupWrite, "{\"packs\": {\"p\": \"pack.conf\"}}");

        var check = ConfigLoader.Load(config, null);
        Assert.Equal([$"{config}: refusing config {config}: it is writable by its group (mode 0664)"], check.Errors.Select(e => e.ToString()));

        File.SetUnixFileMode(config, Mode0644);
        check = ConfigLoader.Load(config, null);
        Assert.Equal([$"{config}: packs.p: refusing pack {pack}: it is writable by its group (mode 0664)"], check.Errors.Select(e => e.ToString()));

        File.SetUnixFileMode(pack, Mode0644);
        Assert.True(ConfigLoader.Load(config, null).Ok);
    }

    [Fact]
    public void A_new_database_is_readable_by_its_owner_only()
    {
        using var directory = new TempDirectory();
        var database = directory.File("vigil.db");
        using (var store = EventStore.OpenReadWrite(database, IngestOptions.EventTableSpecs))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(database));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(database + "-wal"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(database + "-shm"));
        }
    }

    [RootFact]
    public void The_shell_of_another_user_on_roots_database_says_it_cannot_read_it()
    {
        using var directory = new TempDirectory();
        File.SetUnixFileMode(directory.Path, (UnixFileMode)0x1ed);
        var database = directory.File("vigil.db");
        EventStore.OpenReadWrite(database, IngestOptions.EventTableSpecs).Dispose();

        var info = VigilProcess.StartInfo(["shell", "--database_path", database, "select count(*) from process_events"],
            "setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups"]);
        info.Environment["HOME"] = "/tmp";
        var (code, output, error) = VigilProcess.Run(info, "");

        Assert.Equal((1, ""), (code, output));
        Assert.Equal($"vigil: cannot read {database}: permission denied (owned by uid 0, mode 0600); run as its owner or root\n", error);
    }

    private static string Write(TempDirectory directory, string name, UnixFileMode mode, string text = "{}")
    {
        var path = directory.File(name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    private static void Chown(string path, int uid)
    {
        using var process = System.Diagnostics.Process.Start("chown", [uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path])!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
