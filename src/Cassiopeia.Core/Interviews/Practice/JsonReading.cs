using System.Text.Json;

namespace Cassiopeia.Core.Interviews.Practice;

/// <summary>Reading model output field by field, collecting what is wrong instead of throwing.</summary>
internal static class JsonReading
{
    public static string? Text(JsonElement parent, string name, string path, int maxLength, List<string> problems)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            problems.Add($"{path}.{name} must be a non-empty string.");
            return null;
        }

        var text = value.GetString()!.Trim();
        if (text.Length > maxLength)
        {
            problems.Add($"{path}.{name} must be at most {maxLength} characters.");
            return null;
        }

        return text;
    }

    public static int? Integer(JsonElement parent, string name, string path, int min, int max, List<string> problems)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min || number > max)
        {
            problems.Add($"{path}.{name} must be a whole number from {min} to {max}.");
            return null;
        }

        return number;
    }

    public static List<JsonElement> Array(JsonElement parent, string name, string path, List<string> problems)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"{path}.{name} must be an array.");
            return [];
        }

        return value.EnumerateArray().ToList();
    }

    public static List<string> Strings(JsonElement parent, string name, string path, int maxItems, int maxLength, List<string> problems)
    {
        var items = Array(parent, name, path, problems);
        if (items.Count > maxItems)
        {
            problems.Add($"{path}.{name} must have at most {maxItems} items.");
        }

        var strings = new List<string>();
        foreach (var item in items.Take(maxItems))
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()) || item.GetString()!.Length > maxLength)
            {
                problems.Add($"{path}.{name} must hold non-empty strings of at most {maxLength} characters.");
                return strings;
            }

            strings.Add(item.GetString()!.Trim());
        }

        return strings;
    }
}
