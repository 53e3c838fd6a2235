using Cassiopeia.Core.Ingestion;

namespace Cassiopeia.Infrastructure.TextExtraction;

/// <summary>A block found on a PDF page, with the font size that decides whether it is a heading.</summary>
internal sealed record PdfPageBlock(BlockKind Kind, string Text, int Level, int Page, string? Hidden, double FontSize, int Letters, int Lines);
