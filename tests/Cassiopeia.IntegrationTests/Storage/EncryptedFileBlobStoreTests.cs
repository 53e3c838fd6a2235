using System.Security.Cryptography;
using Cassiopeia.Core.Storage;
using Cassiopeia.Infrastructure.Security;
using Cassiopeia.Infrastructure.Storage;

namespace Cassiopeia.IntegrationTests.Storage;

public sealed class EncryptedFileBlobStoreTests : BlobStoreContractTests, IDisposable
{
    private const int Segment = 4096;
    private readonly string _root = Directory.CreateTempSubdirectory("cassiopeia-blobs-").FullName;
    private readonly RingKey _master = new("k20261122224531-7dd865", RandomNumberGenerator.GetBytes(32));

    public EncryptedFileBlobStoreTests() => FileStore = new EncryptedFileBlobStore(_root, [_master], Segment);

    protected override IBlobStore Store => FileStore;

    private EncryptedFileBlobStore FileStore { get; }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Files_on_disk_hold_no_plaintext()
    {
        var marker = "CONFIDENTIAL-CANDIDATE-SALARY-123456"u8.ToArray();
        var bytes = Enumerable.Repeat(marker, 500).SelectMany(b => b).ToArray();
        await Store.WriteAsync("org_a/secret", new MemoryStream(bytes), long.MaxValue, default);

        var onDisk = await File.ReadAllBytesAsync(Path.Combine(_root, "org_a", "secret"));
        Assert.Equal(-1, onDisk.AsSpan().IndexOf(marker));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "org_a"), "*.tmp"));
    }

    [Theory]
    [InlineData(97)]
    [InlineData(5000)]
    [InlineData(-1)]
    public async Task A_flipped_byte_anywhere_is_detected_and_never_returned(int position)
    {
        await Store.WriteAsync("org_a/tampered", new MemoryStream(RandomNumberGenerator.GetBytes(10_000)), long.MaxValue, default);
        var path = Path.Combine(_root, "org_a", "tampered");
        var onDisk = await File.ReadAllBytesAsync(path);
        onDisk[position < 0 ? onDisk.Length - 1 : position] ^= 0x01;
        await File.WriteAllBytesAsync(path, onDisk);

        await Assert.ThrowsAnyAsync<CryptographicException>(async () =>
        {
            await using var read = (await Store.OpenReadAsync("org_a/tampered", default))!;
            await read.CopyToAsync(Stream.Null);
        });
    }

    [Fact]
    public async Task A_tampered_segment_fails_only_when_it_is_read_and_the_others_still_read()
    {
        var bytes = RandomNumberGenerator.GetBytes(4 * Segment);
        await Store.WriteAsync("org_a/ahead", new MemoryStream(bytes), long.MaxValue, default);
        var path = Path.Combine(_root, "org_a", "ahead");
        var onDisk = await File.ReadAllBytesAsync(path);
        onDisk[112 + (2 * (Segment + 16)) + 10] ^= 0x01; // the third segment
        await File.WriteAllBytesAsync(path, onDisk);

        await using var read = (await Store.OpenReadAsync("org_a/ahead", default))!;
        var firstTwo = new byte[2 * Segment];
        await read.ReadExactlyAsync(firstTwo);
        Assert.Equal(bytes[..(2 * Segment)], firstTwo);
        await Assert.ThrowsAnyAsync<CryptographicException>(async () => await read.ReadExactlyAsync(new byte[Segment]));

        read.Position = 3 * Segment; // the segment after it still reads
        var last = new byte[Segment];
        await read.ReadExactlyAsync(last);
        Assert.Equal(bytes[(3 * Segment)..], last);
    }

    [Theory]
    [InlineData(Segment + 16)]
    [InlineData(1)]
    public async Task Truncation_is_detected(int cut)
    {
        await Store.WriteAsync("org_a/cut", new MemoryStream(RandomNumberGenerator.GetBytes(3 * Segment)), long.MaxValue, default);
        var path = Path.Combine(_root, "org_a", "cut");
        var onDisk = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, onDisk[..^cut]);

        await Assert.ThrowsAnyAsync<CryptographicException>(async () =>
        {
            await using var read = (await Store.OpenReadAsync("org_a/cut", default))!;
            await read.CopyToAsync(Stream.Null);
        });
    }

    [Fact]
    public async Task Swapped_segments_are_detected()
    {
        await Store.WriteAsync("org_a/swap", new MemoryStream(RandomNumberGenerator.GetBytes(3 * Segment)), long.MaxValue, default);
        var path = Path.Combine(_root, "org_a", "swap");
        var onDisk = await File.ReadAllBytesAsync(path);
        const int stride = Segment + 16;
        var first = onDisk.AsSpan(112, stride).ToArray();
        onDisk.AsSpan(112 + stride, stride).CopyTo(onDisk.AsSpan(112, stride));
        first.CopyTo(onDisk.AsSpan(112 + stride, stride));
        await File.WriteAllBytesAsync(path, onDisk);

        await Assert.ThrowsAnyAsync<CryptographicException>(async () =>
        {
            await using var read = (await Store.OpenReadAsync("org_a/swap", default))!;
            await read.CopyToAsync(Stream.Null);
        });
    }

    [Fact]
    public async Task Another_master_key_cannot_read_the_objects()
    {
        await Store.WriteAsync("org_a/keyed", new MemoryStream([1, 2, 3]), long.MaxValue, default);
        var impostor = new EncryptedFileBlobStore(_root, [new RingKey(_master.Id, RandomNumberGenerator.GetBytes(32))], Segment);
        await Assert.ThrowsAnyAsync<CryptographicException>(() => impostor.OpenReadAsync("org_a/keyed", default));

        var unknown = new EncryptedFileBlobStore(_root, [new RingKey("k-other", RandomNumberGenerator.GetBytes(32))], Segment);
        await Assert.ThrowsAnyAsync<CryptographicException>(() => unknown.OpenReadAsync("org_a/keyed", default));
    }

    [Fact]
    public async Task Rotation_rewraps_every_object_so_the_old_master_key_can_be_retired()
    {
        var bytes = RandomNumberGenerator.GetBytes(9_000);
        await Store.WriteAsync("org_a/one", new MemoryStream(bytes), long.MaxValue, default);
        await Store.WriteAsync("org_b/two", new MemoryStream(bytes), long.MaxValue, default);

        var newer = new RingKey("k-test-2", RandomNumberGenerator.GetBytes(32));
        var rotating = new EncryptedFileBlobStore(_root, [_master, newer], Segment);
        Assert.Equal(2, await rotating.RewrapAllAsync(default));
        Assert.Equal(0, await rotating.RewrapAllAsync(default));

        var retired = new EncryptedFileBlobStore(_root, [newer], Segment);
        foreach (var key in new[] { "org_a/one", "org_b/two" })
        {
            await using var read = (await retired.OpenReadAsync(key, default))!;
            var copy = new MemoryStream();
            await read.CopyToAsync(copy);
            Assert.Equal(bytes, copy.ToArray());
        }
    }

    [Fact]
    public async Task Local_files_offer_no_direct_urls()
    {
        Assert.Null(await Store.GetDownloadUrlAsync("org_a/x", TimeSpan.FromMinutes(5), "text/plain", "attachment", default));
        Assert.Null(await Store.GetUploadUrlAsync("org_a/x", 10, TimeSpan.FromMinutes(5), default));
    }
}
