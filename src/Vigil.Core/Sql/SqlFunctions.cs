using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Vigil.Platform;

namespace Vigil.Sql;

/// <summary>
/// The SQL functions osquery adds to SQLite, with its argument counts, NULL handling and errors
/// (osquery/sql/sqlite_string.cpp, sqlite_hashing.cpp, sqlite_encoding.cpp), registered on every connection an
/// <see cref="SqlEngine"/> opens: split, regex_split, regex_match, inet_aton, concat, concat_ws, md5, sha1, sha256,
/// community_id_v1 (NULL on a bad argument) and community_id_v1_strict (an error), to_base64, from_base64 and
/// conditional_to_base64. Each callback turns any failure into the statement's error; none lets an exception reach SQLite.
/// </summary>
internal static unsafe class SqlFunctions
{
    /// <summary>SQLITE_UTF8 | SQLITE_DETERMINISTIC (sqlite3.h).</summary>
    private const int Flags = 1 | 0x800;

    private const int SqliteNull = 5;

    /// <summary>Registers every function on <paramref name="db"/>.</summary>
    public static void Register(IntPtr db)
    {
        Add(db, "split", 3, &Split);
        Add(db, "regex_split", 3, &RegexSplit);
        Add(db, "regex_match", 3, &RegexMatch);
        Add(db, "inet_aton", 1, &InetAton);
        Add(db, "concat", -1, &Concat);
        Add(db, "concat_ws", -1, &ConcatWs);
        Add(db, "md5", 1, &Md5);
        Add(db, "sha1", 1, &Sha1);
        Add(db, "sha256", 1, &Sha256);
        Add(db, "community_id_v1", 5, &CommunityIdOrNull);
        Add(db, "community_id_v1", 6, &CommunityIdOrNull);
        Add(db, "community_id_v1_strict", 5, &CommunityIdOrError);
        Add(db, "community_id_v1_strict", 6, &CommunityIdOrError);
        Add(db, "to_base64", 1, &ToBase64);
        Add(db, "from_base64", 1, &FromBase64);
        Add(db, "conditional_to_base64", 1, &ConditionalToBase64);
    }

    private static void Add(IntPtr db, string name, int arguments, delegate* unmanaged<IntPtr, int, IntPtr*, void> function)
    {
        var zName = Encoding.UTF8.GetBytes(name + "\0");
        fixed (byte* pName = zName)
        {
            if (SqliteNative.sqlite3_create_function_v2(db, pName, arguments, Flags, IntPtr.Zero, function, null, null, null) != SqliteNative.SQLITE_OK)
            {
                throw new SqlException($"cannot register function {name}: {SqliteNative.ErrorMessage(db)}");
            }
        }
    }

    [UnmanagedCallersOnly]
    private static void Split(IntPtr context, int argc, IntPtr* argv) =>
        Run(context, argv, argc, static args => AnyNull(args, 3) ? null : OsqueryStrings.Split(Text(args[0]), Text(args[1]), Index(args[2])));

    [UnmanagedCallersOnly]
    private static void RegexSplit(IntPtr context, int argc, IntPtr* argv) =>
        Run(context, argv, argc, static args => AnyNull(args, 3) ? null : OsqueryStrings.RegexSplit(Text(args[0]), Text(args[1]), Index(args[2])));

    [UnmanagedCallersOnly]
    private static void RegexMatch(IntPtr context, int argc, IntPtr* argv) =>
        Run(context, argv, argc, static args => AnyNull(args, 3) ? null : OsqueryStrings.RegexMatch(Text(args[0]), Text(args[1]), Index(args[2])));

    [UnmanagedCallersOnly]
    private static void InetAton(IntPtr context, int argc, IntPtr* argv) =>
        Run(context, argv, argc, static args => AnyNull(args, 1) ? null : OsqueryStrings.InetAton(Text(args[0])));

    [UnmanagedCallersOnly]
    private static void Concat(IntPtr context, int argc, IntPtr* argv) =>
        Run(context, argv, argc, static args => OsqueryStrings.Concat(string.Empty, Texts(args, 0)));

    [UnmanagedCallersOnly]
    private static void ConcatWs(IntPtr context, int argc, IntPtr* argv) =>
        Run(context, argv, argc, static args => args.Length == 0
            ? throw new SqlFunctionException("Missing separator to concat_ws")
            : OsqueryStrings.Concat(IsNull(args[0]) ? string.Empty : Text(args[0]), Texts(args, 1)));

    [UnmanagedCallersOnly]
    private static void Md5(IntPtr context, int argc, IntPtr* argv) =>
        Run(context, argv, argc, static args => Hex(args, MD5.HashData));

    [UnmanagedCallersOnly]
    private static void Sha1(IntPtr context, int argc, IntPtr* argv) =>
        Run(context, argv, argc, static args => Hex(args, SHA1.HashData));

    [UnmanagedCallersOnly]
    private static void Sha256(IntPtr context, int argc, IntPtr* argv) =>
        Run(context, argv, argc, static args => Hex(args, SHA256.HashData));

    [UnmanagedCallersOnly]
    private static void CommunityIdOrNull(IntPtr context, int argc, IntPtr* argv) =>
        Run(context, argv, argc, static args =>
        {
            try
            {
                return CommunityIdOf(args);
            }
            catch (SqlFunctionException)
            {
                return null;
            }
        });

    [UnmanagedCallersOnly]
    private static void CommunityIdOrError(IntPtr context, int argc, IntPtr* argv) =>
        Run(context, argv, argc, static args => CommunityIdOf(args));

    [UnmanagedCallersOnly]
    private static void ToBase64(IntPtr context, int argc, IntPtr* argv) =>
        Run(context, argv, argc, static args => AnyNull(args, 1) ? null : Base64Text.Encode(Bytes(args[0])));

    [UnmanagedCallersOnly]
    private static void FromBase64(IntPtr context, int argc, IntPtr* argv) =>
        Run(context, argv, argc, static args => AnyNull(args, 1) ? null : Base64Text.Decode(Bytes(args[0])));

    [UnmanagedCallersOnly]
    private static void ConditionalToBase64(IntPtr context, int argc, IntPtr* argv) =>
        Run(context, argv, argc, static args => AnyNull(args, 1) ? null : Base64Text.EncodeUnlessPrintable(Bytes(args[0])));

    private static string CommunityIdOf(IntPtr[] args) => CommunityId.V1(
        Typed(args[0], SqliteNative.SQLITE_TEXT) ? Text(args[0]) : null,
        Typed(args[1], SqliteNative.SQLITE_TEXT) ? Text(args[1]) : null,
        Integer(args[2]),
        Integer(args[3]),
        Integer(args[4]),
        args.Length == 6 ? Integer(args[5]) : 0);

    /// <summary>
    /// Calls <paramref name="function"/> with the arguments and sets its result: null as NULL, a string or byte array
    /// as text, a long as an integer; an exception becomes the statement's error.
    /// </summary>
    private static void Run(IntPtr context, IntPtr* argv, int argc, Func<IntPtr[], object?> function)
    {
        try
        {
            Result(context, function(new ReadOnlySpan<IntPtr>(argv, argc).ToArray()));
        }
        catch (Exception e)
        {
            Error(context, e.Message);
        }
    }

    private static void Result(IntPtr context, object? value)
    {
        switch (value)
        {
            case null:
                SqliteNative.sqlite3_result_null(context);
                break;
            case long integer:
                SqliteNative.sqlite3_result_int64(context, integer);
                break;
            case string text:
                Result(context, Encoding.UTF8.GetBytes(text));
                break;
            case byte[] bytes:
                fixed (byte* data = bytes)
                {
                    // A non-null pointer even for no bytes, so the result is '' and not NULL.
                    byte empty = 0;
                    SqliteNative.sqlite3_result_text(context, bytes.Length == 0 ? &empty : data, bytes.Length, SqliteNative.Transient);
                }

                break;
            default:
                throw new InvalidOperationException($"unexpected function result {value.GetType()}");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Error(IntPtr context, string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        fixed (byte* text = bytes)
        {
            SqliteNative.sqlite3_result_error(context, text, bytes.Length);
        }
    }

    private static bool IsNull(IntPtr value) => SqliteNative.sqlite3_value_type(value) == SqliteNull;

    private static bool Typed(IntPtr value, int type) => SqliteNative.sqlite3_value_type(value) == type;

    /// <summary>Whether any of the first <paramref name="count"/> arguments is NULL, which makes osquery's function return NULL.</summary>
    private static bool AnyNull(IntPtr[] args, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (IsNull(args[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The value as SQLite's text (a number as its digits), whole, as bytes.</summary>
    private static byte[] Bytes(IntPtr value)
    {
        var text = SqliteNative.sqlite3_value_text(value);
        var length = SqliteNative.sqlite3_value_bytes(value);
        return text == null ? [] : new ReadOnlySpan<byte>(text, length).ToArray();
    }

    /// <summary>The value as SQLite's text up to its first NUL, as osquery reads it into a C string.</summary>
    private static byte[] CStringBytes(IntPtr value)
    {
        var bytes = Bytes(value);
        var end = Array.IndexOf(bytes, (byte)0);
        return end < 0 ? bytes : bytes[..end];
    }

    private static string Text(IntPtr value) => Encoding.UTF8.GetString(CStringBytes(value));

    private static List<string?> Texts(IntPtr[] args, int first)
    {
        var texts = new List<string?>(args.Length - first);
        for (var i = first; i < args.Length; i++)
        {
            texts.Add(IsNull(args[i]) ? null : Text(args[i]));
        }

        return texts;
    }

    /// <summary>An index argument as sqlite3_value_int reads it, a 32-bit int; osquery's cast to size_t puts a negative one past every piece.</summary>
    private static long Index(IntPtr value) => unchecked((int)SqliteNative.sqlite3_value_int64(value));

    private static long? Integer(IntPtr value) =>
        Typed(value, SqliteNative.SQLITE_INTEGER) ? SqliteNative.sqlite3_value_int64(value) : null;

    /// <summary>md5/sha1/sha256: the lowercase hex digest of the text up to its first NUL; NULL for NULL.</summary>
    private static string? Hex(IntPtr[] args, Func<byte[], byte[]> hash) =>
        IsNull(args[0]) ? null : Convert.ToHexStringLower(hash(CStringBytes(args[0])));
}
