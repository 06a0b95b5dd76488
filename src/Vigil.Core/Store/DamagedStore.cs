using System.Globalization;
using Microsoft.Data.Sqlite;
using Vigil.Tables;

namespace Vigil.Store;

/// <summary>What <see cref="DamagedStore.RecoverIfDamaged"/> did with a damaged database.</summary>
/// <param name="DamagedPath">Where the damaged file now is (its -wal beside it), kept as it was found.</param>
/// <param name="Damage">SQLite's first word on the damage.</param>
/// <param name="Events">Event rows copied into the new database.</param>
/// <param name="UnsentLines">Result lines not yet delivered (journaled or buffered for the tls logger) copied with them.</param>
public sealed record StoreRecovery(string DamagedPath, string Damage, long Events, long UnsentLines);

/// <summary>
/// A host's agent must not go dark because its database broke (a torn write, a disk error, a file overwritten by
/// mistake): a damaged Vigil database is moved aside, kept as found, and what SQLite can still read of it is copied
/// into a new one, so collection starts at once. A file that is not a Vigil database, one a newer Vigil wrote, or one
/// whose schema cannot be read to tell, is never touched.
/// </summary>
public static class DamagedStore
{
    private const string AttachedSchema = "damaged";
    private const int CopyBatch = 4096;

    // Result codes that say the file's content is bad (sqlite3.h): SQLITE_CORRUPT, SQLITE_NOTADB, and the short read
    // of a file cut below the size its header gives (SQLITE_IOERR_SHORT_READ).
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;
    private const int SqliteShortRead = 522;

    private static ReadOnlySpan<byte> SqliteMagic => "SQLite format 3\0"u8;

    /// <summary>
    /// Checks the database at <paramref name="path"/> (every page, SQLite's quick_check) and, when it is a damaged
    /// Vigil database, moves it aside as <c>&lt;path&gt;.damaged-&lt;UTC time&gt;</c> and copies what can be read into a
    /// new database at <paramref name="path"/>; returns null when there is nothing to recover (missing, empty, sound,
    /// or not an SQLite file at all, which opening then refuses). Throws <see cref="StoreException"/>, leaving the
    /// file as it is, when it cannot tell that a damaged file is Vigil's or when a newer Vigil wrote it.
    /// </summary>
    public static StoreRecovery? RecoverIfDamaged(string path, IReadOnlyList<TableSpec> eventTables, DateTime utcNow)
    {
        try
        {
            return Recover(path, eventTables, utcNow);
        }
        catch (SqliteException e)
        {
            throw new StoreException($"{path}: {e.Message}", e);
        }
    }

    private static StoreRecovery? Recover(string path, IReadOnlyList<TableSpec> eventTables, DateTime utcNow)
    {
        if (!HasSqliteHeader(path))
        {
            return null;
        }

        string damage;
        using (var check = Connect(path, SqliteOpenMode.ReadOnly))
        {
            ReadPastDamage(check);
            if (Damage(check) is not { } found)
            {
                return null;
            }

            damage = found;
            ThrowUnlessVigils(check, path, damage);
        }

        var aside = $"{path}.damaged-{utcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
        foreach (var suffix in (ReadOnlySpan<string>)["-wal", "-shm", ""])
        {
            if (File.Exists(path + suffix))
            {
                File.Move(path + suffix, aside + suffix);
            }
        }

        try
        {
            var (events, unsent) = CopyReadable(path, aside, eventTables);
            return new StoreRecovery(aside, damage, events, unsent);
        }
        catch (Exception e) when (e is SqliteException or StoreException)
        {
            throw new StoreException($"recovering {path} failed: {e.Message}; the damaged file is kept as {aside}", e);
        }
    }

    /// <summary>Creates a new store at <paramref name="path"/> and copies into it what can be read of <paramref name="aside"/>.</summary>
    private static (long Events, long UnsentLines) CopyReadable(string path, string aside, IReadOnlyList<TableSpec> eventTables)
    {
        using (EventStore.OpenReadWrite(path, eventTables))
        {
        }

        var dataTables = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in eventTables)
        {
            dataTables.Add(StoredTable.DataTableName(spec.Name));
        }

        // Opened by URI, so that the damaged file can be attached by one that says read-only.
        using var copy = Connect(Uri(path), SqliteOpenMode.ReadWrite);
        ReadPastDamage(copy);
        StateConnection.Execute(copy, $"ATTACH DATABASE {EventStore.Literal(Uri(aside) + "?mode=ro")} AS {AttachedSchema}");
        var events = 0L;
        var unsent = 0L;
        foreach (var (table, createSql) in Tables(copy))
        {
            if (table == "vigil_meta")
            {
                continue;
            }

            var copied = CopyTable(copy, table, createSql);
            if (dataTables.Contains(table))
            {
                events += copied;
            }
            else if (table == "vigil_tls_log")
            {
                unsent += copied;
            }
            else if (table == "vigil_log_journal")
            {
                unsent += Scalar(copy, "SELECT coalesce(sum(length(bytes) - length(replace(bytes, x'0a', x''))), 0) FROM main.vigil_log_journal");
            }
        }

        StateConnection.Execute(copy, $"DETACH DATABASE {AttachedSchema}");
        return (events, unsent);
    }

    private static bool HasSqliteHeader(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        Span<byte> header = stackalloc byte[16];
        using var file = File.OpenHandle(path);
        return RandomAccess.Read(file, header, 0) == header.Length && header.SequenceEqual(SqliteMagic);
    }

    /// <summary>quick_check's first complaint, or the error reading the file stopped it with; null when sound.</summary>
    private static string? Damage(SqliteConnection connection)
    {
        try
        {
            using var command = StateConnection.Command(connection, "PRAGMA quick_check(1)");
            var verdict = (string?)command.ExecuteScalar();
            if (verdict == "ok")
            {
                return null;
            }

            // quick_check heads its findings with a "*** in database main ***" line; the status log takes one line.
            var lines = (verdict ?? "quick_check gave no answer").Split('\n');
            return string.Join("; ", lines.Where(line => !line.StartsWith("***", StringComparison.Ordinal)));
        }
        catch (SqliteException e) when (IsDamage(e.SqliteExtendedErrorCode))
        {
            return e.Message;
        }
    }

    private static void ThrowUnlessVigils(SqliteConnection connection, string path, string damage)
    {
        string? version;
        try
        {
            if (Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'vigil_meta'") == 0)
            {
                throw new StoreException($"{path} is damaged ({damage}) and is not a Vigil database (it has no vigil_meta table); it is left as it is");
            }
        }
        catch (SqliteException e) when (IsDamage(e.SqliteExtendedErrorCode))
        {
            throw new StoreException($"{path} is damaged ({damage}) and its list of tables cannot be read, so it may not be Vigil's; it is left as it is", e);
        }

        try
        {
            using var command = StateConnection.Command(connection, "SELECT value FROM vigil_meta WHERE key = 'schema_version'");
            version = (string?)command.ExecuteScalar();
        }
        catch (SqliteException e) when (IsDamage(e.SqliteExtendedErrorCode))
        {
            // The tables say it is Vigil's; its version is lost with the damage, and recovery copies columns by name.
            return;
        }

        if (version is not null && version != EventStore.SchemaVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw new StoreException($"{path} is damaged ({damage}) and has Vigil schema version '{version}'; this Vigil reads version {EventStore.SchemaVersion}; it is left as it is");
        }
    }

    private static List<(string Name, string Sql)> Tables(SqliteConnection connection)
    {
        var tables = new List<(string, string)>();
        using var command = StateConnection.Command(connection, $"SELECT name, sql FROM {AttachedSchema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            tables.Add((reader.GetString(0), reader.GetString(1)));
        }

        return tables;
    }

    /// <summary>
    /// Copies the rows of <paramref name="table"/> that can be read, by rowid, keeping each row's rowid (an event's eid,
    /// which the scheduled queries' marks refer to). A batch that hits a damaged page is retried smaller; a row that
    /// cannot be read is stepped over by seeking ever further past it, so the rows after a damaged page are kept.
    /// </summary>
    private static long CopyTable(SqliteConnection connection, string table, string createSql)
    {
        var name = StoredTable.Quote(table);
        if (Scalar(connection, $"SELECT count(*) FROM main.sqlite_master WHERE type = 'table' AND name = {EventStore.Literal(table)}") == 0)
        {
            StateConnection.Execute(connection, createSql);
        }

        var columns = string.Join(", ", SharedColumns(connection, table));
        var copied = 0L;
        var after = 0L;
        var batch = CopyBatch;

        // A batch a transaction: a commit that spans a read of the damaged file fails with that read's error.
        while (true)
        {
            try
            {
                var last = NullableScalar(connection,
                    $"SELECT max(rowid) FROM (SELECT rowid FROM {AttachedSchema}.{name} NOT INDEXED WHERE rowid > {after} ORDER BY rowid LIMIT {batch})");
                if (last is null)
                {
                    break;
                }

                using var insert = StateConnection.Command(connection, $"INSERT OR IGNORE INTO main.{name}(rowid, {columns}) SELECT rowid, {columns} FROM {AttachedSchema}.{name} NOT INDEXED WHERE rowid > {after} AND rowid <= {last}");
                copied += insert.ExecuteNonQuery();
                after = last.Value;
                batch = CopyBatch;
            }
            catch (SqliteException e) when (IsDamage(e.SqliteExtendedErrorCode))
            {
                if (batch > 1)
                {
                    batch = Math.Max(1, batch / 16);
                }
                else if (NextReadable(connection, name, after) is { } next)
                {
                    after = next;
                }
                else
                {
                    break;
                }
            }
        }

        return copied;
    }

    /// <summary>
    /// The lowest rowid past the unreadable row after <paramref name="after"/> from which the table can be read again:
    /// seeks ever further until one succeeds, then narrows back to the first that does, so the readable rows just
    /// after a damaged page are not stepped over.
    /// </summary>
    private static long? NextReadable(SqliteConnection connection, string name, long after)
    {
        var failed = 0L;
        for (var step = 1L; step > 0 && step <= long.MaxValue - after; step *= 2)
        {
            if (!Seeks(connection, name, after + step))
            {
                failed = step;
                continue;
            }

            while (step - failed > 1)
            {
                var middle = failed + ((step - failed) / 2);
                if (Seeks(connection, name, after + middle))
                {
                    step = middle;
                }
                else
                {
                    failed = middle;
                }
            }

            return after + step;
        }

        return null;
    }

    private static bool Seeks(SqliteConnection connection, string name, long after)
    {
        try
        {
            NullableScalar(connection, $"SELECT rowid FROM {AttachedSchema}.{name} NOT INDEXED WHERE rowid > {after} ORDER BY rowid LIMIT 1");
            return true;
        }
        catch (SqliteException e) when (IsDamage(e.SqliteExtendedErrorCode))
        {
            return false;
        }
    }

    private static List<string> SharedColumns(SqliteConnection connection, string table)
    {
        var columns = new List<string>();
        using var command = StateConnection.Command(connection, $"SELECT d.name FROM pragma_table_info({EventStore.Literal(table)}, '{AttachedSchema}') d JOIN pragma_table_info({EventStore.Literal(table)}, 'main') m ON m.name = d.name ORDER BY d.cid");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            columns.Add(StoredTable.Quote(reader.GetString(0)));
        }

        return columns;
    }

    private static bool IsDamage(int extendedCode) => (extendedCode & 0xff) is SqliteCorrupt or SqliteNotADatabase || extendedCode == SqliteShortRead;

    // The damaged file is attached read-only, so that nothing (a checkpoint of its -wal at detach) changes what is kept.
    private static string Uri(string path) =>
        "file:" + path.Replace("%", "%25", StringComparison.Ordinal).Replace("?", "%3f", StringComparison.Ordinal).Replace("#", "%23", StringComparison.Ordinal);

    // SQLite refuses a file shorter than the size its header gives unless the schema is writable, which also lets it
    // read the pages that remain; nothing here writes a schema.
    private static void ReadPastDamage(SqliteConnection connection) => StateConnection.Execute(connection, "PRAGMA writable_schema = ON");

    private static SqliteConnection Connect(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static long Scalar(SqliteConnection connection, string sql) => NullableScalar(connection, sql) ?? 0;

    private static long? NullableScalar(SqliteConnection connection, string sql)
    {
        using var command = StateConnection.Command(connection, sql);
        return command.ExecuteScalar() is long value ? value : null;
    }
}
