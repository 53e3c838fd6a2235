using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cassiopeia.Infrastructure.Storage;

/// <summary>
/// Starts writing a file's dirty pages to disk while the file is still being written, so the
/// fsync that makes a large write durable waits for the last few megabytes instead of all of
/// them (on this class of disk, ~0.12 s of a 200 MB upload). Linux's <c>sync_file_range</c> with
/// <c>SYNC_FILE_RANGE_WRITE</c> only queues the writeback and returns; no .NET API exposes it, hence
/// the P/Invoke. Elsewhere, and where the call fails, nothing happens and the final fsync does it all.
/// </summary>
internal static partial class Writeback
{
    /// <summary>Bytes written between two writeback requests.</summary>
    public const long Stride = 8L * 1024 * 1024;

    private const uint SyncFileRangeWrite = 2;

    public static void Start(SafeFileHandle file, long offset, long length)
    {
        if (OperatingSystem.IsLinux() && length > 0)
        {
            // Advisory: an error (an old kernel, a file system without it) changes nothing.
            _ = SyncFileRange(file, offset, length, SyncFileRangeWrite);
        }
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(SafeFileHandle fd, long offset, long nbytes, uint flags);
}
