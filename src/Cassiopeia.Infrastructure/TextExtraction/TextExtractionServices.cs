using Cassiopeia.Core.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cassiopeia.Infrastructure.TextExtraction;

public static class TextExtractionServices
{
    /// <summary>Registers the PDF, DOCX, HTML, Markdown and plain-text extractors and <see cref="DocumentTextExtractor"/>.</summary>
    public static IServiceCollection AddTextExtraction(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITextExtractor, PdfTextExtractor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITextExtractor, DocxTextExtractor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITextExtractor, HtmlTextExtractor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITextExtractor, MarkdownTextExtractor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITextExtractor, PlainTextExtractor>());
        services.TryAddSingleton<DocumentTextExtractor>();
        return services;
    }
}
