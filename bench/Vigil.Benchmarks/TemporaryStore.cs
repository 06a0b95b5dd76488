using Vigil.Pipeline;
using Vigil.Store;

namespace Vigil.Benchmarks;

/// <summary>An event store in a file under the temp directory, deleted (with its journal files) on dispose.</summary>
internal sealed class TemporaryStore : IDisposable
{
    public TemporaryStore()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"vigil-bench-{Guid.NewGuid():N}.db");
        Store = EventStore.OpenReadWrite(Path, IngestOptions.EventTableSpecs);
    }

    public string Path { get; }

    public EventStore Store { get; private set; }

    /// <summary>Closes the store, leaving the file for a reader.</summary>
    public void Close() => Store.Dispose();

    public void Dispose()
    {
        Store.Dispose();
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(Path + suffix);
        }
    }
}
