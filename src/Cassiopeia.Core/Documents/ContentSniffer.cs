using System.IO.Compression;
using System.Text;

namespace Cassiopeia.Core.Documents;

/// <summary>
/// Decides a file's type from its bytes and structure, never from its name: PDF by signature,
/// DOCX as a ZIP holding <c>word/document.xml</c> (with limits against ZIP bombs), HTML, Markdown
/// and plain text as valid UTF-8 without NUL bytes. Anything else is unsupported.
/// </summary>
public static class ContentSniffer
{
    public const string Pdf = "application/pdf";
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string Html = "text/html";
    public const string Markdown = "text/markdown";
    public const string Text = "text/plain";

    private const int MaxZipEntries = 10_000;
    private const long MaxZipExpandedBytes = 512L * 1024 * 1024;
    private const int MaxZipRatio = 200;

    /// <summary>The content type, or null with the reason it is not acceptable.</summary>
    public static (string? ContentType, string? Problem) Sniff(Stream content)
    {
        Span<byte> head = stackalloc byte[8];
        content.Position = 0;
        var read = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..read];
        content.Position = 0;
        if (head.StartsWith("%PDF-"u8))
        {
            return (Pdf, null);
        }

        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            return SniffZip(content);
        }

        return SniffText(content);
    }

    /// <summary>True when a name's extension or a client's content type claims a type other than the sniffed one.</summary>
    public static bool Contradicts(string sniffed, string fileName, string? declaredContentType)
    {
        var claims = new[] { FromExtension(Path.GetExtension(fileName)), FromMediaType(declaredContentType) };
        return claims.Any(c => c is not null && Family(c) != Family(sniffed));
    }

    private static (string?, string?) SniffZip(Stream content)
    {
        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            if (zip.Entries.Count > MaxZipEntries)
            {
                return (null, "The archive has too many entries.");
            }

            long expanded = 0, compressed = 0;
            foreach (var entry in zip.Entries)
            {
                expanded += entry.Length;
                compressed += entry.CompressedLength;
            }

            // Declared sizes; extraction enforces the same limits on the bytes it actually inflates.
            if (expanded > MaxZipExpandedBytes || (compressed > 0 && expanded / compressed > MaxZipRatio))
            {
                return (null, "The archive expands too much to be a document (possible ZIP bomb).");
            }

            return zip.GetEntry("word/document.xml") is not null && zip.GetEntry("[Content_Types].xml") is not null
                ? (Docx, null)
                : (null, "The archive is not a Word (DOCX) document.");
        }
        catch (InvalidDataException)
        {
            return (null, "The archive is corrupt.");
        }
        finally
        {
            content.Position = 0;
        }
    }

    private static (string?, string?) SniffText(Stream content)
    {
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        var bytes = new byte[64 * 1024];
        var chars = new char[64 * 1024 + 1];
        var sample = new StringBuilder();
        int read;
        try
        {
            while ((read = content.Read(bytes)) > 0)
            {
                if (bytes.AsSpan(0, read).Contains((byte)0))
                {
                    return (null, "Binary content is not a supported document type.");
                }

                var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
                if (sample.Length < 16 * 1024)
                {
                    sample.Append(chars, 0, Math.Min(count, (16 * 1024) - sample.Length));
                }
            }

            decoder.GetChars([], 0, 0, chars, 0, flush: true);
        }
        catch (DecoderFallbackException)
        {
            return (null, "The content is neither a PDF, a DOCX nor UTF-8 text.");
        }
        finally
        {
            content.Position = 0;
        }

        var text = sample.ToString().TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (text.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || text.StartsWith("<html", StringComparison.OrdinalIgnoreCase)
            || text.Contains("<body", StringComparison.OrdinalIgnoreCase) || text.Contains("<head", StringComparison.OrdinalIgnoreCase))
        {
            return (Html, null);
        }

        return (LooksLikeMarkdown(text) ? Markdown : Text, null);
    }

    private static bool LooksLikeMarkdown(string text) =>
        text.Split('\n').Take(400).Any(line =>
            line.StartsWith("# ", StringComparison.Ordinal) || line.StartsWith("## ", StringComparison.Ordinal) || line.StartsWith("### ", StringComparison.Ordinal)
            || line.StartsWith("```", StringComparison.Ordinal) || line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal)
            || (line.Contains("](", StringComparison.Ordinal) && line.Contains('[', StringComparison.Ordinal)));

    private static string? FromExtension(string extension) => extension.ToUpperInvariant() switch
    {
        ".PDF" => Pdf,
        ".DOCX" => Docx,
        ".HTML" or ".HTM" => Html,
        ".MD" or ".MARKDOWN" => Markdown,
        ".TXT" => Text,
        ".DOC" or ".PNG" or ".JPG" or ".JPEG" or ".GIF" or ".ZIP" or ".EXE" or ".XLSX" or ".PPTX" => "application/octet-stream",
        _ => null,
    };

    private static string? FromMediaType(string? mediaType) => mediaType?.Split(';')[0].Trim().ToLowerInvariant() switch
    {
        Pdf or Docx or Html or Markdown or Text => mediaType.Split(';')[0].Trim().ToLowerInvariant(),
        "text/x-markdown" => Markdown,
        null or "" or "application/octet-stream" => null,
        _ => "application/octet-stream",
    };

    // Text, Markdown and HTML are one family: the sniffed kind wins among them.
    private static string Family(string contentType) => contentType.StartsWith("text/", StringComparison.Ordinal) ? "text" : contentType;
}
