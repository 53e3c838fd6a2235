namespace Cassiopeia.Api.Features.Documents;

/// <summary>
/// A multipart section's body that reports a body cut short (no closing boundary, or a boundary that
/// never comes) as <see cref="InvalidDataException"/> — the client's malformed request, a 400 — instead of
/// the <see cref="IOException"/> <c>MultipartReader</c> throws, which would otherwise surface as a 500 and
/// be indistinguishable from a storage failure further down. Size-limit errors
/// (<see cref="BadHttpRequestException"/>, 413) pass through unchanged.
/// </summary>
internal sealed class MultipartBodyStream(Stream inner) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Runs one step of <c>MultipartReader</c>, translating a truncated body the same way.</summary>
    public static async Task<T> TranslateAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (IOException e) when (e is not BadHttpRequestException)
        {
            throw Malformed(e);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (IOException e) when (e is not BadHttpRequestException)
        {
            throw Malformed(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return inner.Read(buffer, offset, count);
        }
        catch (IOException e) when (e is not BadHttpRequestException)
        {
            throw Malformed(e);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static InvalidDataException Malformed(IOException e) => new("The multipart body ended before its closing boundary.", e);
}
