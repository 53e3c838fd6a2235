using System.Text.Json;
using Cassiopeia.Core.Interviews.Integrity;

namespace Cassiopeia.Core.Interviews.Requirements;

/// <summary>
/// The structured output asked of a model that extracts requirements: its JSON schema, and the
/// validation of what came back. Anything outside the schema is an error listed for the repair
/// request; requirements that read like instructions to a model are dropped.
/// </summary>
public static class RequirementJson
{
    public const string SchemaName = "job_requirements";

    public static readonly JsonElement Schema = JsonDocument.Parse($$"""
        {
          "type": "object",
          "properties": {
            "requirements": {
              "type": "array",
              "maxItems": {{RuleBasedRequirementExtractor.MaxRequirements}},
              "items": {
                "type": "object",
                "properties": {
                  "text": { "type": "string", "description": "The requirement in the job description's words." },
                  "category": { "type": "string", "enum": ["skill", "experience", "education", "responsibility"] },
                  "importance": { "type": "string", "enum": ["required", "preferred"] },
                  "minimumYears": { "type": ["integer", "null"], "description": "Years of experience asked for, or null." },
                  "keyTerms": { "type": "array", "items": { "type": "string" }, "description": "Skills, tools or fields the requirement names." }
                },
                "required": ["text", "category", "importance", "minimumYears", "keyTerms"],
                "additionalProperties": false
              }
            }
          },
          "required": ["requirements"],
          "additionalProperties": false
        }
        """).RootElement.Clone();

    /// <summary>The requirements in <paramref name="output"/>, or the reasons it does not fit the schema.</summary>
    public static (IReadOnlyList<Requirement>? Requirements, IReadOnlyList<string> Errors) Parse(string output)
    {
        var errors = new List<string>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(StripFence(output), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException)
        {
            return (null, ["The output is not valid JSON."]);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("requirements", out var items)
                || items.ValueKind != JsonValueKind.Array)
            {
                return (null, ["The output must be an object with a \"requirements\" array."]);
            }

            if (items.GetArrayLength() is 0 or > RuleBasedRequirementExtractor.MaxRequirements)
            {
                return (null, [$"\"requirements\" must hold 1 to {RuleBasedRequirementExtractor.MaxRequirements} items."]);
            }

            var requirements = new List<Requirement>();
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                if (Read(item, index++, errors) is { } requirement && !InstructionText.IsInstruction(requirement.Text))
                {
                    requirements.Add(requirement);
                }
            }

            return errors.Count > 0 ? (null, errors) : (requirements, errors);
        }
    }

    private static Requirement? Read(JsonElement item, int index, List<string> errors)
    {
        var at = $"requirements[{index}]";
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{at} must be an object.");
            return null;
        }

        var text = String(item, "text")?.Trim();
        var category = String(item, "category");
        var importance = String(item, "importance");
        int? years = null;
        if (item.TryGetProperty("minimumYears", out var y) && y.ValueKind != JsonValueKind.Null)
        {
            if (y.ValueKind == JsonValueKind.Number && y.TryGetInt32(out var value) && value is >= 0 and <= RequiredYears.MaxYears)
            {
                years = value == 0 ? null : value;
            }
            else
            {
                errors.Add($"{at}.minimumYears must be null or a whole number from 0 to {RequiredYears.MaxYears}.");
            }
        }

        var terms = new List<string>();
        if (item.TryGetProperty("keyTerms", out var t) && t.ValueKind == JsonValueKind.Array)
        {
            foreach (var term in t.EnumerateArray())
            {
                if (term.ValueKind == JsonValueKind.String && term.GetString()!.Trim().ToLowerInvariant() is { Length: > 0 and <= 60 } value && terms.Count < KeyTerms.MaxTerms && !terms.Contains(value))
                {
                    terms.Add(value);
                }
            }
        }
        else
        {
            errors.Add($"{at}.keyTerms must be an array of strings.");
        }

        if (text is not { Length: >= 1 and <= RuleBasedRequirementExtractor.MaxTextLength } || text.Any(c => char.IsControl(c) && c != ' '))
        {
            errors.Add($"{at}.text must be 1 to {RuleBasedRequirementExtractor.MaxTextLength} characters without control characters.");
        }

        if (category is null || !RequirementCategories.All.Contains(category))
        {
            errors.Add($"{at}.category must be one of skill, experience, education, responsibility.");
        }

        if (importance is null || !RequirementImportance.All.Contains(importance))
        {
            errors.Add($"{at}.importance must be required or preferred.");
        }

        if (errors.Count > 0)
        {
            return null;
        }

        // Without terms from the model, the text's own key terms stand in.
        var keyTerms = terms.Count > 0 ? terms : [.. KeyTerms.Of(text!)];
        return new Requirement(text!, category!, importance!, years, keyTerms);
    }

    private static string? String(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Models sometimes wrap JSON in a Markdown code fence despite being asked not to.</summary>
    private static string StripFence(string output)
    {
        var text = output.Trim();
        if (text.StartsWith("```", StringComparison.Ordinal))
        {
            var firstLine = text.IndexOf('\n', StringComparison.Ordinal);
            var end = text.LastIndexOf("```", StringComparison.Ordinal);
            if (firstLine > 0 && end > firstLine)
            {
                return text[(firstLine + 1)..end];
            }
        }

        return text;
    }
}
