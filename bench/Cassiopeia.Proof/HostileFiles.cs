using System.IO.Compression;
using System.Text;

namespace Cassiopeia.Proof;

/// <summary>Hostile upload files, built in memory so the corpus carries no binary fixtures.</summary>
public static class HostileFiles
{
    public const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private const string ContentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
          <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
          <Default Extension="xml" ContentType="application/xml"/>
          <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
        </Types>
        """;

    private const string Rels = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
          <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
        </Relationships>
        """;

    private const string BodyStart = """<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>""";
    private const string BodyEnd = "</w:t></w:r></w:p></w:body></w:document>";

    /// <summary>A DOCX whose document part inflates to <paramref name="inflatedBytes"/> of one repeated letter.</summary>
    public static byte[] ZipBombDocx(long inflatedBytes) => Docx(entry =>
    {
        entry.Write(Encoding.UTF8.GetBytes(BodyStart));
        var block = Encoding.ASCII.GetBytes(new string('a', 1 << 16));
        for (long written = 0; written < inflatedBytes; written += block.Length)
        {
            entry.Write(block);
        }

        entry.Write(Encoding.UTF8.GetBytes(BodyEnd));
    });

    /// <summary>
    /// A bomb whose ZIP headers lie: the document part declares an inflated size of three times its compressed
    /// size, so a check of the declared ratio passes and only a cap on the bytes actually inflated stops it.
    /// </summary>
    public static byte[] LyingSizeZipBombDocx(long inflatedBytes)
    {
        var zip = ZipBombDocx(inflatedBytes);
        var name = Encoding.ASCII.GetBytes("word/document.xml");
        for (var i = 0; i + 46 < zip.Length; i++)
        {
            var signature = BitConverter.ToUInt32(zip, i);
            var (nameOffset, sizeOffset) = signature switch
            {
                0x04034b50 => (30, 18),
                0x02014b50 => (46, 20),
                _ => (-1, -1),
            };
            if (nameOffset < 0 || i + nameOffset + name.Length > zip.Length || !zip.AsSpan(i + nameOffset, name.Length).SequenceEqual(name))
            {
                continue;
            }

            var compressed = BitConverter.ToUInt32(zip, i + sizeOffset);
            BitConverter.TryWriteBytes(zip.AsSpan(i + sizeOffset + 4, 4), compressed * 3);
        }

        return zip;
    }

    /// <summary>A DOCX with <paramref name="entries"/> tiny parts: a bomb of entries rather than bytes.</summary>
    public static byte[] ManyEntriesDocx(int entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            AddText(zip, "[Content_Types].xml", ContentTypes);
            AddText(zip, "_rels/.rels", Rels);
            AddText(zip, "word/document.xml", BodyStart + "many entries" + BodyEnd);
            for (var i = 0; i < entries; i++)
            {
                AddText(zip, $"word/media/x{i}.xml", "<a/>");
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A DOCX whose document part is "billion laughs": nested entity definitions.</summary>
    public static byte[] BillionLaughsDocx() => DocxWithBody("""
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE w:document [
          <!ENTITY l0 "ha">
          <!ENTITY l1 "&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;">
          <!ENTITY l2 "&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;">
          <!ENTITY l3 "&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;">
          <!ENTITY l4 "&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;">
          <!ENTITY l5 "&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;">
          <!ENTITY l6 "&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;">
          <!ENTITY l7 "&l6;&l6;&l6;&l6;&l6;&l6;&l6;&l6;&l6;&l6;">
          <!ENTITY l8 "&l7;&l7;&l7;&l7;&l7;&l7;&l7;&l7;&l7;&l7;">
          <!ENTITY l9 "&l8;&l8;&l8;&l8;&l8;&l8;&l8;&l8;&l8;&l8;">
        ]>
        <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>
        """);

    /// <summary>A DOCX whose document part pulls an external entity (a local file, then a URL).</summary>
    public static byte[] ExternalEntityDocx(string systemId) => DocxWithBody($"""
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE w:document [ <!ENTITY xxe SYSTEM "{systemId}"> ]>
        <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>
        """);

    /// <summary>A DOCX whose document part is nested <paramref name="depth"/> elements deep.</summary>
    public static byte[] DeepXmlDocx(int depth)
    {
        var body = new StringBuilder("""<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>""");
        for (var i = 0; i < depth; i++)
        {
            body.Append("<w:p>");
        }

        for (var i = 0; i < depth; i++)
        {
            body.Append("</w:p>");
        }

        return DocxWithBody(body.Append("</w:body></w:document>").ToString());
    }

    /// <summary>A zip that holds an entry whose name climbs out of any extraction directory.</summary>
    public static byte[] TraversalEntryDocx() => Docx(entry => entry.Write(Encoding.UTF8.GetBytes(BodyStart + "traversal" + BodyEnd)), "../../../../tmp/cassiopeia-proof-escape.xml");

    /// <summary>Corrupt and lying PDFs: a header and nothing else, a truncated object graph, a page count in the billions.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> CorruptPdfs() =>
    [
        ("header-only", Encoding.ASCII.GetBytes("%PDF-1.7\n")),
        ("truncated", Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /Contents 4 0 R >>")),
        ("huge-count", Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [2 0 R] /Count 2147483647 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")),
        ("bad-xref", Encoding.ASCII.GetBytes("%PDF-1.4\nxref\n0 99999999\n0000000000 65535 f \ntrailer << /Size 99999999 /Root 1 0 R >>\nstartxref\n9\n%%EOF\n")),
        ("self-referencing-stream", Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Length 1 0 R /Filter /FlateDecode >> stream\nxyz\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")),
        ("random-bytes", RandomBytes(4096)),
    ];

    public static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(7391).NextBytes(bytes);
        return bytes;
    }

    /// <summary>The first bytes of a PNG: an image under a document's name and type.</summary>
    public static byte[] PngBytes() => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0];

    private static byte[] DocxWithBody(string xml) => Docx(entry => entry.Write(Encoding.UTF8.GetBytes(xml)));

    private static byte[] Docx(Action<Stream> writeDocument, string documentEntry = "word/document.xml")
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            AddText(zip, "[Content_Types].xml", ContentTypes);
            AddText(zip, "_rels/.rels", Rels);
            using var entry = zip.CreateEntry(documentEntry, CompressionLevel.SmallestSize).Open();
            writeDocument(entry);
        }

        return buffer.ToArray();
    }

    private static void AddText(ZipArchive zip, string name, string text)
    {
        using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        entry.Write(Encoding.UTF8.GetBytes(text));
    }
}
