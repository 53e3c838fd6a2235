using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Cassiopeia.Api.Http;

/// <summary>
/// A whole-file download written straight into Kestrel's response pipe: each read of the content
/// (a decrypted segment of an encrypted object) lands in the pipe's own memory, and the pipe is
/// flushed every <see cref="FlushThreshold"/> bytes. <see cref="FileStreamHttpResult"/> copies
/// through a 64 KiB buffer and flushes after every copy, one more pass over every byte and one
/// socket hand-off per buffer; for a 200 MB file that is what separates the download from the disk's
/// own speed. Range, HEAD and conditional requests go to <see cref="FileStreamHttpResult"/>, which
/// implements their rules; the headers of a whole-file answer are the same either way.
/// </summary>
public sealed class PipedStreamResult : IResult
{
    private const int ReadSize = 64 * 1024;
    private const int FlushThreshold = 512 * 1024;
    private readonly Stream _content;
    private readonly string _contentType;
    private readonly string _fileName;

    public PipedStreamResult(Stream content, string contentType, string fileName)
    {
        _content = content;
        _contentType = contentType;
        _fileName = fileName;
    }

    /// <summary>True for a plain whole-file GET of a seekable stream: no range, no preconditions.</summary>
    public static bool Applies(HttpRequest request, Stream content)
    {
        var headers = request.Headers;
        return HttpMethods.IsGet(request.Method) && content.CanSeek
            && headers.Range.Count == 0 && headers.IfRange.Count == 0 && headers.IfMatch.Count == 0
            && headers.IfNoneMatch.Count == 0 && headers.IfModifiedSince.Count == 0 && headers.IfUnmodifiedSince.Count == 0;
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        await using var content = _content;
        var response = httpContext.Response;
        var length = content.Length - content.Position;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = _contentType;
        response.ContentLength = length;
        response.Headers.AcceptRanges = "bytes";
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(_fileName);
        response.Headers.ContentDisposition = disposition.ToString();

        var ct = httpContext.RequestAborted;
        var writer = response.BodyWriter;
        var unflushed = 0;
        try
        {
            while (length > 0)
            {
                var memory = writer.GetMemory(ReadSize);
                var read = await content.ReadAsync(memory, ct);
                if (read == 0)
                {
                    throw new EndOfStreamException("The stored object ended before its length.");
                }

                writer.Advance(read);
                length -= read;
                unflushed += read;
                if (unflushed >= FlushThreshold || length == 0)
                {
                    unflushed = 0;
                    if ((await writer.FlushAsync(ct)).IsCanceled)
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away: nothing to answer.
        }
    }
}
