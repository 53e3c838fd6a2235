using System.Security.Cryptography;
using Cassiopeia.Core.Storage;

namespace Cassiopeia.IntegrationTests.Storage;

/// <summary>What every <see cref="IBlobStore"/> must do; one subclass per implementation.</summary>
public abstract class BlobStoreContractTests
{
    protected abstract IBlobStore Store { get; }

    // Beyond 256 KiB the file store pipelines in units of that size: one unit exactly, two, and five and a bit.
    public static TheoryData<int> Sizes() => new() { 0, 1, 4095, 4096, 4097, 3 * 4096, (3 * 4096) + 17, 262_144, 300_000, 524_288, 1_310_737 };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Written_bytes_read_back_identically_with_size_and_sha256(int size)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        var stored = await Store.WriteAsync($"org_a/doc_{size}", new MemoryStream(bytes), long.MaxValue, default);

        Assert.Equal(size, stored.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stored.Sha256);
        await using var read = await Store.OpenReadAsync($"org_a/doc_{size}", default);
        Assert.NotNull(read);
        Assert.Equal(size, read.Length);
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task Reads_can_seek_anywhere_like_a_range_request()
    {
        var bytes = RandomNumberGenerator.GetBytes(50_000);
        await Store.WriteAsync("org_a/ranged", new MemoryStream(bytes), long.MaxValue, default);
        await using var read = (await Store.OpenReadAsync("org_a/ranged", default))!;

        foreach (var (offset, length) in new[] { (0, 10), (4090, 20), (40_000, 10_000), (49_999, 1), (12_345, 8_192) })
        {
            read.Seek(offset, SeekOrigin.Begin);
            var buffer = new byte[length];
            await read.ReadExactlyAsync(buffer);
            Assert.Equal(bytes.AsSpan(offset, length).ToArray(), buffer);
        }
    }

    [Fact]
    public async Task More_than_the_limit_is_refused_and_leaves_nothing()
    {
        await Assert.ThrowsAsync<BlobTooLargeException>(() => Store.WriteAsync("org_a/big", new MemoryStream(new byte[10_001]), 10_000, default));
        Assert.Null(await Store.OpenReadAsync("org_a/big", default));

        var exact = await Store.WriteAsync("org_a/exact", new MemoryStream(new byte[10_000]), 10_000, default);
        Assert.Equal(10_000, exact.Size);
    }

    [Fact]
    public async Task A_write_that_fails_midway_leaves_the_previous_object_untouched()
    {
        var original = RandomNumberGenerator.GetBytes(20_000);
        await Store.WriteAsync("org_a/stable", new MemoryStream(original), long.MaxValue, default);

        await Assert.ThrowsAsync<IOException>(() => Store.WriteAsync("org_a/stable", new FailingStream(15_000), long.MaxValue, default));
        await Assert.ThrowsAsync<IOException>(() => Store.WriteAsync("org_a/never", new FailingStream(15_000), long.MaxValue, default));

        Assert.Null(await Store.OpenReadAsync("org_a/never", default));
        await using var read = (await Store.OpenReadAsync("org_a/stable", default))!;
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(original, copy.ToArray());
    }

    [Fact]
    public async Task Deleted_objects_are_gone_and_deleting_twice_says_so()
    {
        await Store.WriteAsync("org_a/gone", new MemoryStream([1, 2, 3]), long.MaxValue, default);
        Assert.True(await Store.DeleteAsync("org_a/gone", default));
        Assert.Null(await Store.OpenReadAsync("org_a/gone", default));
        Assert.False(await Store.DeleteAsync("org_a/gone", default));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("org_a/../../etc/passwd")]
    [InlineData("/absolute")]
    [InlineData("org_a//double")]
    [InlineData("")]
    public async Task Keys_that_could_leave_the_store_are_refused(string key) =>
        await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteAsync(key, new MemoryStream([1]), long.MaxValue, default));

    /// <summary>Yields zeros, then fails like a dropped connection.</summary>
    private sealed class FailingStream(int failAfter) : Stream
    {
        private int _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_read >= failAfter)
            {
                throw new IOException("connection reset");
            }

            var n = Math.Min(count, failAfter - _read);
            Array.Clear(buffer, offset, n);
            _read += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
