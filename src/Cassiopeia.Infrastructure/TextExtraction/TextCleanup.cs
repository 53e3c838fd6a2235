using System.Globalization;
using System.Text;

namespace Cassiopeia.Infrastructure.TextExtraction;

/// <summary>
/// The one place text from every format is normalised: NFC, line endings as \n, control and
/// invisible format characters removed, runs of spaces collapsed, lines trimmed, at most one blank line.
/// </summary>
internal static class TextCleanup
{
    public static string Clean(string text)
    {
        text = Normalize(text);
        var clean = new StringBuilder(text.Length);
        var space = false;
        var newlines = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                continue;
            }

            if (IsLineBreak(c))
            {
                newlines++;
                space = false;
                continue;
            }

            if (c == '\t' || char.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator)
            {
                space = true;
                continue;
            }

            if (IsInvisible(c))
            {
                continue;
            }

            if (clean.Length > 0 && newlines > 0)
            {
                clean.Append(newlines > 1 ? "\n\n" : "\n");
            }
            else if (clean.Length > 0 && space)
            {
                clean.Append(' ');
            }

            newlines = 0;
            space = false;
            clean.Append(c);
        }

        return clean.ToString();
    }

    /// <summary>Like <see cref="Clean"/> but keeps each line's indentation, which carries meaning in code.</summary>
    public static string CleanCode(string text)
    {
        var lines = Normalize(text).ReplaceLineEndings("\n").Split('\n');
        var clean = new StringBuilder(text.Length);
        foreach (var line in lines)
        {
            var kept = new StringBuilder(line.Length);
            foreach (var c in line)
            {
                if (c == '\t')
                {
                    kept.Append("    ");
                }
                else if (!IsInvisible(c) && !IsLineBreak(c))
                {
                    kept.Append(char.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator ? ' ' : c);
                }
            }

            clean.Append(kept.ToString().TrimEnd()).Append('\n');
        }

        return clean.ToString().Trim('\n');
    }

    // Composition needs ICU: while the build sets InvariantGlobalization, the runtime returns text unchanged.
    private static string Normalize(string text) => text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);

    private static bool IsLineBreak(char c) => c is '\n' or '\r' or '\v' or '\f' or '\u0085' or '\u2028' or '\u2029';

    // Zero-width spaces, word joiners, byte-order marks and soft hyphens only hide or split words.
    private static bool IsInvisible(char c) => char.IsControl(c) || c is '\u200B' or '\u2060' or '\uFEFF' or '\u00AD';
}
