using Vigil.Sql;
using Xunit;

namespace Vigil.Tests.Sql;

/// <summary>osquery's SQL functions on an engine, with osquery's argument counts, NULL handling, errors and known vectors.</summary>
public sealed class SqlFunctionsTests : IDisposable
{
    private readonly SqlEngine _engine = new(null, [], []);

    public void Dispose() => _engine.Dispose();

    [Theory]
    [InlineData("split('a,b,c', ',', 1)", "b")]
    [InlineData("split('10.1.2.3', '.', 0)", "10")]
    [InlineData("split('a, ,b', ',', 1)", "")]
    [InlineData("split(' a ;; b ', ';', 1)", "b")]
    [InlineData("split('a-b c', '- ', 2)", "c")]
    [InlineData("split('a,b', ',', 2)", null)]
    [InlineData("split('a,b', ',', -1)", null)]
    [InlineData("split(NULL, ',', 0)", null)]
    [InlineData("split('a', NULL, 0)", null)]
    [InlineData("split(123456, '4', 0)", "123")]
    [InlineData("regex_split('a1b22c', '[0-9]+', 2)", "c")]
    [InlineData("regex_split('1a2', '[0-9]', 0)", "")]
    [InlineData("regex_split('1a2', '[0-9]', 2)", null)]
    [InlineData("regex_split('abc', 'x', 0)", "abc")]
    [InlineData("regex_match('fd00::2', '^f[cd][0-9a-f][0-9a-f]:[0-9a-f:]+', 0)", "fd00::2")]
    [InlineData("regex_match('key=value', '(\\w+)=(\\w+)', 2)", "value")]
    [InlineData("regex_match('a', '(b)?a', 1)", "")]
    [InlineData("regex_match('a', 'a', 1)", null)]
    [InlineData("regex_match('abc', 'x', 0)", null)]
    [InlineData("regex_match(NULL, 'x', 0)", null)]
    [InlineData("inet_aton('192.168.1.1')", "3232235777")]
    [InlineData("inet_aton('255.255.255.255')", "4294967295")]
    [InlineData("inet_aton('0.0.0.0')", "0")]
    [InlineData("inet_aton('1.2.3.04')", null)]
    [InlineData("inet_aton('1.2.3')", null)]
    [InlineData("inet_aton('256.1.1.1')", null)]
    [InlineData("inet_aton('::1')", null)]
    [InlineData("inet_aton(NULL)", null)]
    [InlineData("concat('a', 1, NULL, 'b')", "a1b")]
    [InlineData("concat(NULL)", "")]
    [InlineData("concat()", null)]
    [InlineData("concat_ws('-', 'a', 'b')", "a-b")]
    [InlineData("concat_ws('-', 'a', NULL)", "a-")]
    [InlineData("concat_ws('-', NULL, 'b')", "b")]
    [InlineData("concat_ws(NULL, 'a', 'b')", "ab")]
    [InlineData("concat_ws('-')", null)]
    [InlineData("md5('abc')", "900150983cd24fb0d6963f7d28e17f72")]
    [InlineData("sha1('abc')", "a9993e364706816aba3e25717850c26c9cd0d89d")]
    [InlineData("sha256('abc')", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("sha1('')", "da39a3ee5e6b4b0d3255bfef95601890afd80709")]
    [InlineData("md5(NULL)", null)]
    [InlineData("sha256(x'61006263')", "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb")]
    [InlineData("to_base64('')", "")]
    [InlineData("to_base64('f')", "Zg==")]
    [InlineData("to_base64('fo')", "Zm8=")]
    [InlineData("to_base64('foo')", "Zm9v")]
    [InlineData("to_base64('foobar')", "Zm9vYmFy")]
    [InlineData("to_base64(NULL)", null)]
    [InlineData("from_base64('Zm9vYmFy')", "foobar")]
    [InlineData("from_base64('Zm9vYg==')", "foob")]
    [InlineData("from_base64('Zm9vYg')", "foob")]
    [InlineData("from_base64('Zm9v\nYmFy')", "foobar")]
    [InlineData("from_base64('Zm9vY')", "")]
    [InlineData("from_base64('Zm9v!')", "")]
    [InlineData("from_base64('')", "")]
    [InlineData("from_base64(NULL)", null)]
    [InlineData("conditional_to_base64('plain text')", "plain text")]
    [InlineData("conditional_to_base64('tab\there')", "dGFiCWhlcmU=")]
    [InlineData("conditional_to_base64('héllo')", "aMOpbGxv")]
    public void Functions_answer_as_osquery(string expression, string? expected)
    {
        Assert.Equal(expected, Scalar(expression));
    }

    // The published Community ID v1 vectors (community-id-spec's baseline, as osquery's own tests use them).
    [Theory]
    [InlineData("'66.35.250.204', '128.232.110.120', 80, 34855, 6, 0", "1:LQU9qZlK+B5F3KDmev6m5PMibrg=")]
    [InlineData("'128.232.110.120', '66.35.250.204', 34855, 80, 6", "1:LQU9qZlK+B5F3KDmev6m5PMibrg=")]
    [InlineData("'66.35.250.204', '128.232.110.120', 80, 34855, 6, 1", "1:3V71V58M3Ksw/yuFALMcW0LAHvc=")]
    [InlineData("'127.0.0.1', 'fe80::14b0:de4a:f8e8:522f', 64, 10, 6", "1:Jww+Ua4pSUNl9TvSUwvSHL4n93w=")]
    [InlineData("'fe80::14b0:de4a:f8e8:522f', '127.0.0.1', 10, 64, 6, 0", "1:Jww+Ua4pSUNl9TvSUwvSHL4n93w=")]
    [InlineData("'192.168.170.8', '192.168.170.56', 7, 80, 132, 0", "1:jQgCxbku+pNGw8WPbEc/TS/uTpQ=")]
    [InlineData("'192.168.170.56', '192.168.170.8', 80, 7, 132, 1", "1:Y1/0jQg6e+I3ZwZZ9LP65DNbTXU=")]
    [InlineData("'192.168.1.52', '8.8.8.8', 54585, 53, 17, 0", "1:d/FP5EW3wiY1vCndhwleRRKHowQ=")]
    [InlineData("'8.8.8.8', '192.168.1.52', 53, 54585, 17, 1", "1:Q9We8WO3piVF8yEQBNJF4uiSVrI=")]
    [InlineData("'1.2.3.4', '5.6.7.8', 1122, 3344, 6, 0", "1:wCb3OG7yAFWelaUydu0D+125CLM=")]
    [InlineData("'192.168.1.52', 'foo', 10, 53, 17, 0", null)]
    [InlineData("'192.168.1.52', '192.168.1.1', 10, 53, 17, 100000000", null)]
    [InlineData("'192.168.1.52', '192.168.1.1', '10', 53, 17", null)]
    [InlineData("NULL, '192.168.1.1', 10, 53, 17", null)]
    public void Community_id_v1_matches_the_published_vectors_and_is_null_for_bad_arguments(string arguments, string? expected)
    {
        Assert.Equal(expected, Scalar($"community_id_v1({arguments})"));
    }

    [Theory]
    [InlineData("split('a', '', 0)", "Invalid input to split function")]
    [InlineData("regex_split('a', '', 0)", "Invalid input to split function")]
    [InlineData("regex_split('a', '(', 0)", "Invalid regex")]
    [InlineData("regex_match('a', '(', 0)", "Invalid regex")]
    [InlineData("concat_ws()", "Missing separator to concat_ws")]
    [InlineData("community_id_v1_strict('192.168.1.52', 'foo', 10, 53, 17, 0)", "Community ID daddr cannot be parsed as IP")]
    [InlineData("community_id_v1_strict('192.168.1.52', '192.168.1.1', 10, 53, 17, 100000000)", "Community ID seed must fit in 2 bytes")]
    [InlineData("community_id_v1_strict('1.1.1.1', '2.2.2.2', 10, 70000, 6)", "Community ID ports must fit in 2 bytes")]
    [InlineData("community_id_v1_strict('1.1.1.1', '2.2.2.2', 10, 20, 256)", "Community ID protocol must fit in 1 byte")]
    [InlineData("community_id_v1_strict(1, '2.2.2.2', 10, 20, 6)", "Community ID IPs must be strings")]
    [InlineData("community_id_v1_strict('1.1.1.1', '2.2.2.2', 10, 20, 6, 'x')", "Community ID seed must be an integer")]
    public void Bad_arguments_are_osquerys_errors(string expression, string message)
    {
        Assert.Equal(message, Assert.Throws<SqlException>(() => Scalar(expression)).Message);
    }

    [Fact]
    public void A_pattern_longer_than_osquerys_regex_max_size_is_refused()
    {
        var pattern = new string('a', 257);

        Assert.Equal("Invalid regex: too big, max size is 256 bytes", Assert.Throws<SqlException>(() => Scalar($"regex_match('a', '{pattern}', 0)")).Message);
        Assert.Equal("Invalid regex", Assert.Throws<SqlException>(() => Scalar($"regex_split('a', '{pattern}', 0)")).Message);
        Assert.Null(Scalar($"regex_match('b', '{pattern[..256]}', 0)"));
    }

    [Fact]
    public void A_pattern_that_backtracks_for_ever_fails_after_its_time_budget()
    {
        var text = new string('a', 40) + "!";

        Assert.Equal("Regex match took longer than 1 s", Assert.Throws<SqlException>(() => Scalar($"regex_match('{text}', '^(a+)+$', 0)")).Message);
    }

    [Theory]
    [InlineData("split", 2)]
    [InlineData("regex_match", 2)]
    [InlineData("inet_aton", 2)]
    [InlineData("sha1", 2)]
    [InlineData("to_base64", 0)]
    [InlineData("community_id_v1", 4)]
    public void Functions_take_osquerys_argument_counts(string function, int count)
    {
        var arguments = string.Join(", ", Enumerable.Repeat("'1'", count));

        Assert.Equal($"wrong number of arguments to function {function}()", Assert.Throws<SqlException>(() => Scalar($"{function}({arguments})")).Message);
    }

    [Fact]
    public void Double_quoted_words_that_name_no_column_are_strings_as_in_osquery()
    {
        Assert.Equal("1", Scalar("'config_refresh' in (\"distributed_interval\", \"config_refresh\")"));
    }

    private string? Scalar(string expression) => Assert.Single(Assert.Single(_engine.Execute($"SELECT {expression}")).Rows)[0];
}
