using Vigil.Flags;
using Vigil.Logging;
using Vigil.Netlink;
using Xunit;

namespace Vigil.Tests.Flags;

public class FlagParserTests
{
    private static FlagParseResult Parse(params string[] args) => FlagParser.ForVigil().Parse(args);

    private static FlagParseResult ParseWithFlagfile(string[] lines, params string[] args) =>
        new FlagParser(VigilFlags.All, path => path == "/etc/vigil.flags" ? lines : throw new FileNotFoundException("no such file", path)).Parse(args);

    private static string Error(Action parse) => Assert.Throws<FlagException>(parse).Message;

    [Fact]
    public void Defaults_AreOsquerys()
    {
        var values = Parse().Values;
        Assert.True(values.Get(VigilFlags.DisableAudit));
        Assert.False(values.Get(VigilFlags.AuditAllowConfig));
        Assert.True(values.Get(VigilFlags.AuditPersist));
        Assert.True(values.Get(VigilFlags.AuditAllowProcessEvents));
        Assert.False(values.Get(VigilFlags.AuditAllowSockets));
        Assert.True(values.Get(VigilFlags.AuditAllowUserEvents));
        Assert.False(values.Get(VigilFlags.AuditAllowUnix));
        Assert.False(values.Get(VigilFlags.AuditAllowFailedSocketEvents));
        Assert.False(values.Get(VigilFlags.AuditAllowNullAcceptSocketEvents));
        Assert.True(values.Get(VigilFlags.AuditAllowAcceptSocketEvents));
        Assert.Equal(4096, values.Get(VigilFlags.AuditBacklogLimit));
        Assert.Equal(0, values.Get(VigilFlags.AuditBacklogWaitTime));
        Assert.Equal("auto", values.Get(VigilFlags.AuditSocketType));
        Assert.Empty(values.Get(VigilFlags.AuditLogFile));
        Assert.Equal(3600, values.Get(VigilFlags.EventsExpiry));
        Assert.Equal(50000, values.Get(VigilFlags.EventsMax));
        Assert.True(values.Get(VigilFlags.EventsOptimize));
        Assert.Equal("filesystem", values.Get(VigilFlags.LoggerPlugin));
        Assert.Equal("hostname", values.Get(VigilFlags.HostIdentifier));
        Assert.False(values.IsSet(VigilFlags.DisableAudit));
    }

    [Fact]
    public void Forms_EqualsSpaceBareAndNo()
    {
        var values = Parse("--audit_backlog_limit=8192", "--database_path", "/tmp/v.db", "--audit_allow_sockets", "--nodisable_audit", "-events_max=7").Values;
        Assert.Equal(8192, values.Get(VigilFlags.AuditBacklogLimit));
        Assert.Equal("/tmp/v.db", values.Get(VigilFlags.DatabasePath));
        Assert.True(values.Get(VigilFlags.AuditAllowSockets));
        Assert.False(values.Get(VigilFlags.DisableAudit));
        Assert.Equal(7, values.Get(VigilFlags.EventsMax));
        Assert.True(values.IsSet(VigilFlags.DisableAudit));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("FALSE", false)]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData("yes", true)]
    [InlineData("n", false)]
    public void Bool_TakesGflagsSpellings(string text, bool expected) =>
        Assert.Equal(expected, Parse("--audit_debug=" + text).Values.Get(VigilFlags.AuditDebug));

    [Fact]
    public void OneLetterForm_TakesOneDash_AndNotTwo()
    {
        Assert.Equal(5, Parse("stress", "-n", "5").Values.Get(VigilFlags.StressIntensity));
        Assert.Equal(7, Parse("stress", "-n=7").Values.Get(VigilFlags.StressIntensity));
        Assert.Equal(9, Parse("-n", "3", "--stress_intensity=9").Values.Get(VigilFlags.StressIntensity));
        Assert.Equal("flag --stress_intensity needs a value", Error(() => Parse("stress", "-n")));
        Assert.StartsWith("unknown flag: --n", Error(() => Parse("stress", "--n", "5")), StringComparison.Ordinal);
    }

    [Fact]
    public void Bool_DoesNotTakeTheNextArgument()
    {
        var result = Parse("--json", "select 1");
        Assert.True(result.Values.Get(VigilFlags.Json));
        Assert.Equal(["select 1"], result.Positionals);
    }

    [Fact]
    public void Positionals_KeepOrder_AndDoubleDashEndsFlags()
    {
        var result = Parse("shell", "--csv", "select 1", "--", "--json", "-x");
        Assert.Equal(["shell", "select 1", "--json", "-x"], result.Positionals);
        Assert.True(result.Values.Get(VigilFlags.Csv));
        Assert.False(result.Values.Get(VigilFlags.Json));
    }

    [Fact]
    public void LaterOccurrenceWins()
    {
        Assert.Equal(2, Parse("--events_max=1", "--events_max=2").Values.Get(VigilFlags.EventsMax));
        Assert.True(Parse("--noverbose", "--verbose").Values.Get(VigilFlags.Verbose));
    }

    [Fact]
    public void List_KeepsEveryOccurrenceInOrder() =>
        Assert.Equal(["/a.log", "/b,c.log"], Parse("--audit_log_file=/a.log", "--audit_log_file", "/b,c.log").Values.Get(VigilFlags.AuditLogFile));

    [Fact]
    public void UnknownFlag_NamesIt_AndSuggestsTheClosest()
    {
        Assert.Equal("unknown flag: --audit_backlog_limt (did you mean --audit_backlog_limit?)", Error(() => Parse("--audit_backlog_limt=3")));
        Assert.Equal("unknown flag: --jsn (did you mean --json?)", Error(() => Parse("--jsn")));
        Assert.Equal("unknown flag: --frobnicate", Error(() => Parse("--frobnicate")));
    }

    [Theory]
    [InlineData("--audit_backlog_limit=abc", "invalid value for --audit_backlog_limit: 'abc' (expected a non-negative integer)")]
    [InlineData("--events_expiry=-5", "invalid value for --events_expiry: '-5' (expected a non-negative integer)")]
    [InlineData("--audit_socket_type=broadcast", "invalid value for --audit_socket_type: 'broadcast' (expected one of auto, unicast, multicast)")]
    [InlineData("--disable_audit=maybe", "invalid value for --disable_audit: 'maybe' (expected true or false)")]
    [InlineData("--database_path", "flag --database_path needs a value")]
    [InlineData("--noevents_max", "--noevents_max: only bool flags take the 'no' prefix, and --events_max is not one")]
    [InlineData("--noverbose=true", "--noverbose takes no value; write --verbose=VALUE")]
    public void BadValue_NamesFlagAndValue(string arg, string message) => Assert.Equal(message, Error(() => Parse(arg)));

    [Fact]
    public void SpaceForm_ValidatesTheValue() =>
        Assert.Equal("invalid value for --events_max: 'lots' (expected a non-negative integer)", Error(() => Parse("--events_max", "lots")));

    [Fact]
    public void Flagfile_SkipsCommentsAndBlankLines()
    {
        string[] lines =
        [
            "# collect from the kernel",
            "",
            "  --disable_audit=false  ",
            "--audit_allow_sockets",
            "   # indented comment",
            "--logger_path=/var/log/x # not a comment",
            "--audit_log_file=/one.log",
        ];
        var values = ParseWithFlagfile(lines, "--flagfile=/etc/vigil.flags").Values;
        Assert.False(values.Get(VigilFlags.DisableAudit));
        Assert.True(values.Get(VigilFlags.AuditAllowSockets));
        Assert.Equal("/var/log/x # not a comment", values.Get(VigilFlags.LoggerPath));
        Assert.Equal(["/one.log"], values.Get(VigilFlags.AuditLogFile));
    }

    [Fact]
    public void CommandLine_BeatsFlagfile_WhereverItAppears()
    {
        string[] lines = ["--events_max=10", "--events_max=20", "--verbose", "--audit_log_file=/file.log"];
        var before = ParseWithFlagfile(lines, "--events_max=5", "--flagfile=/etc/vigil.flags").Values;
        var after = ParseWithFlagfile(lines, "--flagfile", "/etc/vigil.flags", "--events_max=5", "--audit_log_file=/cli.log").Values;
        Assert.Equal(5, before.Get(VigilFlags.EventsMax));
        Assert.Equal(5, after.Get(VigilFlags.EventsMax));
        Assert.Equal(20, ParseWithFlagfile(lines, "--flagfile=/etc/vigil.flags").Values.Get(VigilFlags.EventsMax));
        Assert.True(after.Get(VigilFlags.Verbose));
        Assert.Equal(["/file.log"], before.Get(VigilFlags.AuditLogFile));
        Assert.Equal(["/cli.log"], after.Get(VigilFlags.AuditLogFile));
    }

    [Theory]
    [InlineData("--bogus=1", "/etc/vigil.flags:2: unknown flag: --bogus")]
    [InlineData("--events_max=many", "/etc/vigil.flags:2: invalid value for --events_max: 'many' (expected a non-negative integer)")]
    [InlineData("--database_path", "/etc/vigil.flags:2: flag --database_path needs a value (write --database_path=VALUE)")]
    [InlineData("--flagfile=/other", "/etc/vigil.flags:2: a flagfile cannot name another flagfile")]
    [InlineData("events_max=3", "/etc/vigil.flags:2: expected --name=value, found 'events_max=3'")]
    public void Flagfile_ErrorsGivePathAndLine(string line, string message) =>
        Assert.Equal(message, Error(() => ParseWithFlagfile(["# first", line], "--flagfile=/etc/vigil.flags")));

    [Fact]
    public void Flagfile_Missing_IsAClearError() =>
        Assert.Equal("cannot read flagfile /nope: no such file", Error(() => ParseWithFlagfile([], "--flagfile=/nope")));

    [Fact]
    public void Flagfile_IsReadFromDisk()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# shell\n--disable_audit=false\n--audit_allow_config=true\n");
            var values = FlagParser.ForVigil().Parse(["--flagfile=" + path]).Values;
            Assert.False(values.Get(VigilFlags.DisableAudit));
            Assert.True(values.Get(VigilFlags.AuditAllowConfig));
            Assert.Equal(path, values.Get(VigilFlags.Flagfile));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void GetText_ShowsValuesAsGiven()
    {
        var values = Parse("--audit_log_file=/a", "--audit_log_file=/b", "--audit_debug").Values;
        Assert.Equal("/a,/b", values.GetText(VigilFlags.AuditLogFile));
        Assert.Equal("true", values.GetText(VigilFlags.AuditDebug));
        Assert.Equal("4096", values.GetText(VigilFlags.AuditBacklogLimit));
    }
}
