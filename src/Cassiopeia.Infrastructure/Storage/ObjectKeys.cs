namespace Cassiopeia.Infrastructure.Storage;

/// <summary>Keys are our own ids (<c>org_…/doc_…</c>); anything that could leave the store's root or prefix is refused.</summary>
internal static class ObjectKeys
{
    public static string Check(string key)
    {
        if (key.Length is 0 or > 200 || key.Split('/').Any(part => part.Length == 0 || part is "." or ".." || !part.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')))
        {
            throw new ArgumentException("Invalid object key.", nameof(key));
        }

        return key;
    }
}
