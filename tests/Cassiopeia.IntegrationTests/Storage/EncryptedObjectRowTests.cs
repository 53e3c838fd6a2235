using System.Security.Cryptography;
using Cassiopeia.Core.Storage;
using Cassiopeia.Infrastructure.Security;
using Cassiopeia.Infrastructure.Storage;
using Microsoft.Data.Sqlite;

namespace Cassiopeia.IntegrationTests.Storage;

/// <summary>
/// The file store with the embedded profile's object table: the whole blob store contract (its sizes
/// fall on both sides of the limit), and which objects become rows and which files.
/// </summary>
public sealed class EncryptedObjectRowTests : BlobStoreContractTests, IDisposable
{
    private const int Segment = 4096;
    private const int Inline = 10_000;
    private readonly string _root = Directory.CreateTempSubdirectory("cassiopeia-rows-").FullName;
    private readonly RingKey _master = new("k20261206100000-1a2b3c", RandomNumberGenerator.GetBytes(32));
    private readonly SqliteObjectTable _rows;

    public EncryptedObjectRowTests()
    {
        _rows = new SqliteObjectTable($"Data Source={Path.Combine(_root, "objects.db")}", Inline, checkpointer: null);
        FileStore = StoreWith([_master]);
    }

    protected override IBlobStore Store => FileStore;

    private EncryptedFileBlobStore FileStore { get; }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1_500, true)]
    [InlineData(Inline, true)]
    [InlineData(Inline + 1, false)]
    [InlineData(300_000, false)]
    public async Task Objects_up_to_the_limit_are_rows_and_larger_ones_files(int size, bool row)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        var stored = await Store.WriteAsync("org_a/doc_x", new MemoryStream(bytes), long.MaxValue, default);

        Assert.Equal(size, stored.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stored.Sha256);
        Assert.Equal(row, (await _rows.KeysAsync(default)).Contains("org_a/doc_x"));
        Assert.Equal(!row, File.Exists(FilePath("org_a/doc_x")));
        Assert.Equal(bytes, await ReadAsync(Store, "org_a/doc_x"));
    }

    [Fact]
    public async Task An_object_rewritten_in_the_other_form_leaves_no_older_copy_and_deletes_whole()
    {
        var large = RandomNumberGenerator.GetBytes(Inline * 3);
        var small = RandomNumberGenerator.GetBytes(100);

        await Store.WriteAsync("org_a/doc_y", new MemoryStream(small), long.MaxValue, default);
        await Store.WriteAsync("org_a/doc_y", new MemoryStream(large), long.MaxValue, default);
        Assert.Empty(await _rows.KeysAsync(default));
        Assert.Equal(large, await ReadAsync(Store, "org_a/doc_y"));

        await Store.WriteAsync("org_a/doc_y", new MemoryStream(small), long.MaxValue, default);
        Assert.False(File.Exists(FilePath("org_a/doc_y")));
        Assert.Equal(small, await ReadAsync(Store, "org_a/doc_y"));

        Assert.True(await Store.DeleteAsync("org_a/doc_y", default));
        Assert.Null(await Store.OpenReadAsync("org_a/doc_y", default));
        Assert.False(await Store.DeleteAsync("org_a/doc_y", default));
        Assert.Empty(await _rows.KeysAsync(default));
    }

    [Fact]
    public async Task Concurrent_writes_share_transactions_and_every_one_lands()
    {
        var contents = Enumerable.Range(0, 40).Select(i => RandomNumberGenerator.GetBytes(500 + i)).ToList();
        var stored = await Task.WhenAll(contents.Select((bytes, i) => Task.Run(() => Store.WriteAsync($"org_a/doc_{i}", new MemoryStream(bytes), long.MaxValue, default))));

        Assert.Equal(contents.Select(b => (long)b.Length), stored.Select(s => s.Size));
        Assert.Equal(40, (await _rows.KeysAsync(default)).Count);
        for (var i = 0; i < contents.Count; i++)
        {
            Assert.Equal(contents[i], await ReadAsync(Store, $"org_a/doc_{i}"));
        }
    }

    [Fact]
    public async Task Rows_hold_no_plaintext_and_a_flipped_byte_is_detected()
    {
        var marker = "CONFIDENTIAL-CANDIDATE-SALARY-123456"u8.ToArray();
        var bytes = Enumerable.Repeat(marker, 200).SelectMany(b => b).ToArray();
        await Store.WriteAsync("org_a/secret", new MemoryStream(bytes), long.MaxValue, default);

        var sealedRow = (await _rows.GetAsync("org_a/secret", default))!;
        Assert.Equal(-1, sealedRow.AsSpan().IndexOf(marker));
        sealedRow[^5] ^= 0x01;
        await _rows.PutAsync("org_a/secret", sealedRow, default);
        await Assert.ThrowsAnyAsync<CryptographicException>(() => ReadAsync(Store, "org_a/secret"));
    }

    [Fact]
    public async Task Rotation_rewraps_rows_and_files_so_the_old_master_key_can_be_retired()
    {
        var small = RandomNumberGenerator.GetBytes(2_000);
        var large = RandomNumberGenerator.GetBytes(50_000);
        await Store.WriteAsync("org_a/small", new MemoryStream(small), long.MaxValue, default);
        await Store.WriteAsync("org_b/large", new MemoryStream(large), long.MaxValue, default);

        var newer = new RingKey("k-test-2", RandomNumberGenerator.GetBytes(32));
        var rotating = StoreWith([_master, newer]);
        Assert.Equal(2, await rotating.RewrapAllAsync(default));
        Assert.Equal(0, await rotating.RewrapAllAsync(default));

        var retired = StoreWith([newer]);
        Assert.Equal(small, await ReadAsync(retired, "org_a/small"));
        Assert.Equal(large, await ReadAsync(retired, "org_b/large"));
        await Assert.ThrowsAnyAsync<CryptographicException>(() => ReadAsync(StoreWith([_master]), "org_a/small"));
    }

    private EncryptedFileBlobStore StoreWith(IReadOnlyList<RingKey> keys) => new(Path.Combine(_root, "blobs"), keys, Segment, _rows);

    private string FilePath(string key) => Path.Combine(_root, "blobs", key);

    private static async Task<byte[]> ReadAsync(IBlobStore store, string key)
    {
        await using var read = (await store.OpenReadAsync(key, default))!;
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        return copy.ToArray();
    }
}
