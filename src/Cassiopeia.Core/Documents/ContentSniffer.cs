using System.IO.Compression;
using System.Text;
using System.Text.Unicode;

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

    private const string NotText = "The content is neither a PDF, a DOCX nor UTF-8 text.";
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

    /// <summary>True when <see cref="Sniff(Stream, ContentProbeStream)"/> must read the stored bytes (a ZIP's directory).</summary>
    public static bool NeedsContent(ContentProbeStream probe) => probe.Head.StartsWith("PK\u0003\u0004"u8);

    /// <summary>
    /// Like <see cref="Sniff(Stream)"/>, with what <paramref name="probe"/> learnt while the bytes were
    /// stored: text is classified without reading it again; only a ZIP is opened (its directory), so
    /// <paramref name="content"/> may be null unless <see cref="NeedsContent"/> says otherwise.
    /// </summary>
    public static (string? ContentType, string? Problem) Sniff(Stream? content, ContentProbeStream probe)
    {
        var head = probe.Head;
        if (head.StartsWith("%PDF-"u8))
        {
            return (Pdf, null);
        }

        if (NeedsContent(probe))
        {
            return SniffZip(content ?? throw new ArgumentNullException(nameof(content), "A ZIP is sniffed from its stored bytes."));
        }

        return probe.IsText ? (ClassifyText(Encoding.UTF8.GetString(head)), null) : (null, NotText);
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
        // Validates the whole file as UTF-8 with the vectorised validator, carrying a multi-byte
        // sequence split across buffer boundaries into the next read.
        var buffer = new byte[256 * 1024];
        var carried = 0;
        var sample = Array.Empty<byte>();
        try
        {
            int read;
            while ((read = content.Read(buffer, carried, buffer.Length - carried)) > 0)
            {
                var filled = carried + read;
                if (sample.Length == 0)
                {
                    sample = buffer[..Math.Min(filled, 16 * 1024)];
                }

                var complete = filled - IncompleteTail(buffer.AsSpan(0, filled));
                if (buffer.AsSpan(0, filled).Contains((byte)0) || !Utf8.IsValid(buffer.AsSpan(0, complete)))
                {
                    return (null, NotText);
                }

                carried = filled - complete;
                buffer.AsSpan(complete, carried).CopyTo(buffer);
            }

            if (carried > 0)
            {
                return (null, NotText);
            }
        }
        finally
        {
            content.Position = 0;
        }

        return (ClassifyText(Encoding.UTF8.GetString(sample)), null);
    }

    private static string ClassifyText(string sample)
    {
        var text = sample.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (text.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || text.StartsWith("<html", StringComparison.OrdinalIgnoreCase)
            || text.Contains("<body", StringComparison.OrdinalIgnoreCase) || text.Contains("<head", StringComparison.OrdinalIgnoreCase))
        {
            return Html;
        }

        return LooksLikeMarkdown(text) ? Markdown : Text;
    }

    /// <summary>Bytes at the end that begin a UTF-8 sequence not yet complete (0 to 3).</summary>
    internal static int IncompleteTail(ReadOnlySpan<byte> bytes)
    {
        for (var back = 1; back <= Math.Min(3, bytes.Length); back++)
        {
            var b = bytes[^back];
            if ((b & 0xC0) != 0x80)
            {
                var length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                return length > back ? back : 0;
            }
        }

        return 0;
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
