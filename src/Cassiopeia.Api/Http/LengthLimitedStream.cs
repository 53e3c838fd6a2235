using Cassiopeia.Core.Common;

namespace Cassiopeia.Api.Http;

/// <summary>
/// A read-only request body that fails with 413 once more than <c>limit</c> bytes have been read.
/// Kestrel enforces the same limit itself; this keeps it true on any server (test host, IIS, proxies that
/// rewrite framing), at the cost of one counter per read.
/// </summary>
internal sealed class LengthLimitedStream(Stream inner, long limit) : ForwardReadStream
{
    private long _read;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    private int Count(int read)
    {
        _read += read;
        return _read > limit
            ? throw new BadHttpRequestException($"The request body is larger than {limit} bytes.", StatusCodes.Status413PayloadTooLarge)
            : read;
    }
}
