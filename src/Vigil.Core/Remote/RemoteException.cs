namespace Vigil.Remote;

/// <summary>A request to the remote API server failed: it could not be sent, or its answer says so (an <c>error</c> key, <c>node_invalid</c>, not JSON).</summary>
public sealed class RemoteException(string message, bool nodeInvalid = false, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The server answered <c>"node_invalid": true</c>: the node key is not (or no longer) known to it.</summary>
    public bool NodeInvalid { get; } = nodeInvalid;
}
