namespace Vigil.Store;

/// <summary>The event store cannot be opened, read or written; the message names the file and SQLite's reason.</summary>
public sealed class StoreException : Exception
{
    public StoreException(string message)
        : base(message)
    {
    }

    public StoreException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
