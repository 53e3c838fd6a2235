namespace Cassiopeia.Core.Ingestion;

/// <summary>Picks the <see cref="ITextExtractor"/> for a sniffed content type.</summary>
public sealed class DocumentTextExtractor
{
    private readonly Dictionary<string, ITextExtractor> _byContentType = new(StringComparer.OrdinalIgnoreCase);

    public DocumentTextExtractor(IEnumerable<ITextExtractor> extractors)
    {
        foreach (var extractor in extractors)
        {
            foreach (var contentType in extractor.ContentTypes)
            {
                _byContentType.TryAdd(contentType, extractor);
            }
        }
    }

    public bool Supports(string contentType) => _byContentType.ContainsKey(contentType);

    /// <summary>
    /// Extracts the text of <paramref name="content"/> (seekable); throws
    /// <see cref="ExtractionFailedException"/> for a content type no extractor reads.
    /// </summary>
    public Task<ExtractedDocument> ExtractAsync(string contentType, Stream content, ExtractionLimits limits, CancellationToken cancellationToken) =>
        _byContentType.TryGetValue(contentType, out var extractor)
            ? extractor.ExtractAsync(content, limits, cancellationToken)
            : throw new ExtractionFailedException("Text cannot be read from this type of file; upload a PDF, DOCX, HTML, Markdown or plain-text file.");
}
