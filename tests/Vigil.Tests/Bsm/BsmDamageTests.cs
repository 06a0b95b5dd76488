using Vigil.Bsm;
using Xunit;

namespace Vigil.Tests.Bsm;

/// <summary>Damaged trails never end the reading: every byte pattern is records, malformed runs, or both.</summary>
public sealed class BsmDamageTests
{
    [Fact]
    public void Random_damage_to_a_real_trail_is_counted_and_the_rest_still_read()
    {
        var original = File.ReadAllBytes(BsmFixtures.PathOf("apple.bsm"));
        var random = new Random(17);
        for (var round = 0; round < 300; round++)
        {
            var damaged = (byte[])original.Clone();
            for (var hits = random.Next(1, 6); hits > 0; hits--)
            {
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            }

            var read = BsmFixtures.Read(damaged[..random.Next(1, damaged.Length + 1)], chunk: random.Next(1, 4096));

            Assert.Equal(read.Records.Count + read.Malformed, read.Count);
            Assert.InRange(read.Records.Count, 0, 54);
            foreach (var record in read.Records)
            {
                Assert.True(BsmRecord.TryRead(record, out _));
            }
        }
    }

    [Fact]
    public void Every_prefix_of_a_record_is_refused_without_throwing()
    {
        var record = File.ReadAllBytes(BsmFixtures.PathOf("execve-long-args.trail"));
        for (var length = 0; length < record.Length; length++)
        {
            Assert.False(BsmRecord.TryRead(record.AsSpan(0, length), out _));
        }

        Assert.True(BsmRecord.TryRead(record, out _));
    }

    [Fact]
    public void Random_bytes_behind_a_valid_header_and_trailer_never_throw()
    {
        var random = new Random(23);
        for (var round = 0; round < 2000; round++)
        {
            var body = new byte[random.Next(0, 200)];
            random.NextBytes(body);
            var bytes = BsmTrailWriter.RecordBytes(23, 1, tokens => tokens.Bytes(body));

            if (BsmRecord.TryRead(bytes, out var record))
            {
                Assert.Equal(23, record.EventType);
            }
        }
    }
}
