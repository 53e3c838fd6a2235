namespace Cassiopeia.Core.Common;

/// <summary>Collects field errors of one request so the client sees all of them at once.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public Validation Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            if (!_errors.TryGetValue(field, out var list))
            {
                _errors[field] = list = [];
            }

            list.Add(message);
        }

        return this;
    }

    /// <summary>Text fields: no control characters (other than tab and newlines) and bounded length.</summary>
    public Validation Text(string? value, string field, int maxLength, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Require(!required, field, "Required.");
        }

        Require(value.Length <= maxLength, field, $"At most {maxLength} characters.");
        return Require(!value.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')), field, "Control characters are not allowed.");
    }

    public Error ToError() => Error.Validation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
}
