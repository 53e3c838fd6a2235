using System.Text;

namespace Cassiopeia.Core.Documents;

/// <summary>Makes a client's file name safe to store and to send back in Content-Disposition.</summary>
public static class FileNames
{
    private const int MaxUtf8Bytes = 200;

    public static string Sanitize(string? name)
    {
        var last = (name ?? "").Replace('\\', '/').Split('/').LastOrDefault(part => part.Length > 0 && part is not "." and not "..") ?? "";
        var builder = new StringBuilder(last.Length);
        foreach (var rune in last.Normalize(NormalizationForm.FormC).EnumerateRunes())
        {
            if (Rune.IsControl(rune) || rune.Value is '<' or '>' or ':' or '"' or '|' or '?' or '*' || Rune.GetUnicodeCategory(rune) == System.Globalization.UnicodeCategory.Format)
            {
                builder.Append('_');
                continue;
            }

            if (Encoding.UTF8.GetByteCount(builder.ToString()) + rune.Utf8SequenceLength > MaxUtf8Bytes)
            {
                break;
            }

            builder.Append(rune.ToString());
        }

        var clean = builder.ToString().Trim().TrimStart('.');
        return clean.Length == 0 ? "file" : clean;
    }
}
