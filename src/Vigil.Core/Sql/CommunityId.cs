using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace Vigil.Sql;

/// <summary>
/// Community ID v1 of a flow (https://github.com/corelight/community-id-spec), as osquery's
/// <c>community_id_v1(saddr, daddr, sport, dport, proto[, seed])</c> computes it (osquery/sql/sqlite_hashing.cpp):
/// "1:" and the base64 SHA-1 of seed, the two endpoints ordered (IPv4 before IPv6, then by address, then by port),
/// protocol, a zero byte and the two ports, all in network order.
/// </summary>
public static class CommunityId
{
    /// <summary>
    /// The Community ID, or throws <see cref="SqlFunctionException"/> with osquery's message for the first argument,
    /// in osquery's order of checks, that does not fit. An argument is null when its SQL value is not of the type the
    /// function takes (text addresses, integer ports, protocol and seed); <paramref name="seed"/> is 0 when not given.
    /// </summary>
    public static string V1(string? sourceAddress, string? destinationAddress, long? sourcePort, long? destinationPort, long? protocol, long? seed)
    {
        if (seed is not { } seedValue)
        {
            throw new SqlFunctionException("Community ID seed must be an integer");
        }

        if (seedValue is < short.MinValue or > short.MaxValue)
        {
            throw new SqlFunctionException("Community ID seed must fit in 2 bytes");
        }

        if (sourceAddress is null || destinationAddress is null)
        {
            throw new SqlFunctionException("Community ID IPs must be strings");
        }

        var source = Parse(sourceAddress) ?? throw new SqlFunctionException("Community ID saddr cannot be parsed as IP");
        var destination = Parse(destinationAddress) ?? throw new SqlFunctionException("Community ID daddr cannot be parsed as IP");
        if (sourcePort is not { } from || destinationPort is not { } to)
        {
            throw new SqlFunctionException("Community ID ports must be integers");
        }

        if (from is < 0 or > ushort.MaxValue || to is < 0 or > ushort.MaxValue)
        {
            throw new SqlFunctionException("Community ID ports must fit in 2 bytes");
        }

        if (protocol is not { } proto)
        {
            throw new SqlFunctionException("Community ID protocol must be an integer");
        }

        if (proto is < 0 or > byte.MaxValue)
        {
            throw new SqlFunctionException("Community ID protocol must fit in 1 byte");
        }

        return Hash(source, destination, from, to, (byte)proto, (short)seedValue);
    }

    private static string Hash(byte[] source, byte[] destination, long sourcePort, long destinationPort, byte protocol, short seed)
    {
        var order = Compare(source, destination);
        if (!(order < 0 || (order == 0 && sourcePort < destinationPort)))
        {
            (source, destination) = (destination, source);
            (sourcePort, destinationPort) = (destinationPort, sourcePort);
        }

        var data = new byte[2 + source.Length + destination.Length + 6];
        BinaryPrimitives.WriteInt16BigEndian(data, seed);
        source.CopyTo(data, 2);
        destination.CopyTo(data, 2 + source.Length);
        var tail = data.AsSpan(2 + source.Length + destination.Length);
        tail[0] = protocol;
        tail[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(tail[2..], (ushort)sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(tail[4..], (ushort)destinationPort);
        return "1:" + Convert.ToBase64String(SHA1.HashData(data));
    }

    /// <summary>The address bytes of an IPv4 (strict dotted quad) or IPv6 address, as boost::asio::ip::make_address takes them; null otherwise.</summary>
    private static byte[]? Parse(string text)
    {
        if (!text.Contains(':', StringComparison.Ordinal))
        {
            if (OsqueryStrings.InetAton(text) is not { } number)
            {
                return null;
            }

            var bytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)number);
            return bytes;
        }

        return IPAddress.TryParse(text, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? address.GetAddressBytes()
            : null;
    }

    /// <summary>boost's address order: every IPv4 address before every IPv6 one, then the bytes.</summary>
    private static int Compare(byte[] a, byte[] b) =>
        a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.AsSpan().SequenceCompareTo(b);
}
