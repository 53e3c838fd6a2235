using System.Text;
using Cassiopeia.Api.Http;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Documents;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Cassiopeia.Api.Features.Documents;

/// <summary>
/// <c>POST /v1/documents</c>: reads the multipart body section by section with
/// <see cref="MultipartReader"/>, so the file part streams straight into storage and is never
/// held whole in memory (form binding would buffer it). Form fields may come before or after it.
/// </summary>
public static class DocumentUploadEndpoint
{
    private const int MaxFieldBytes = 4096;

    internal static async Task<Results<Accepted<DocumentView>, Ok<DocumentView>, ProblemHttpResult>> UploadAsync(HttpRequest request, UploadDocument upload, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return new Error(ErrorKind.UnsupportedType, "unsupported-media-type", "Send the file as multipart/form-data with a 'file' part.").ToProblem();
        }

        var reader = new MultipartReader(boundary, request.Body, 64 * 1024) { HeadersLengthLimit = 16 * 1024 };
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        StagedUpload? staged = null;
        try
        {
            while (await MultipartBodyStream.TranslateAsync(() => reader.ReadNextSectionAsync(ct)) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition() && name == "file")
                {
                    if (staged is not null)
                    {
                        return Error.Validation("file", "Send exactly one file.").ToProblem();
                    }

                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    var stage = await upload.StageAsync(fileName, section.ContentType, new MultipartBodyStream(section.Body), ct);
                    if (!stage.Succeeded)
                    {
                        return stage.Error!.ToProblem();
                    }

                    staged = stage.Value;
                }
                else if (name is "kind" or "title" or "replaces")
                {
                    fields[name] = await ReadFieldAsync(new MultipartBodyStream(section.Body), ct);
                }
            }

            if (staged is null)
            {
                return Error.Validation("file", "A 'file' part is required.").ToProblem();
            }

            var result = await upload.CompleteAsync(staged, new UploadFields(fields.GetValueOrDefault("kind"), fields.GetValueOrDefault("title"), fields.GetValueOrDefault("replaces")), ct);
            staged = null;
            if (!result.Succeeded)
            {
                return result.Error!.ToProblem();
            }

            var (document, created) = result.Value;
            return created ? TypedResults.Accepted($"/v1/documents/{document.Id}", document) : TypedResults.Ok(document);
        }
        catch (InvalidDataException)
        {
            return new Error(ErrorKind.Validation, "bad-request", "The multipart body is malformed.").ToProblem();
        }
        finally
        {
            if (staged is not null)
            {
                await upload.DiscardAsync(staged);
            }
        }
    }

    private static async Task<string> ReadFieldAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
        if (read > MaxFieldBytes)
        {
            throw new InvalidDataException("A form field is too long.");
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, read);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException("A form field is not valid UTF-8.", e);
        }
    }
}
