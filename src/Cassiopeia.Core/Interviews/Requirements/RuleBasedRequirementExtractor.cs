using System.Text.RegularExpressions;
using Cassiopeia.Core.Ingestion;
using Cassiopeia.Core.Interviews.Integrity;

namespace Cassiopeia.Core.Interviews.Requirements;

/// <summary>
/// Reads requirements out of a job description without a model. It follows the usual structure:
/// a section heading (Requirements, Qualifications, Responsibilities, Nice to have, Preferred, About
/// us, Benefits…) sets what the lines below it are; bullets and numbered items are one requirement
/// each; in prose, sentences that ask for something ("must", "experience with", "degree in",
/// "N+ years") are. Words in the line override the section ("… is a plus" is preferred even under
/// Requirements). Sections about the company, benefits or how to apply are skipped, and so is any
/// sentence written to steer a model (<see cref="InstructionText"/>). Deterministic: the same text
/// always gives the same list.
/// </summary>
public static partial class RuleBasedRequirementExtractor
{
    public const int MaxRequirements = 40;
    public const int MaxTextLength = 300;

    private enum Section
    {
        Unknown,
        Required,
        Preferred,
        Responsibilities,
        Skipped,
    }

    public static IReadOnlyList<Requirement> Extract(IReadOnlyList<SourceText> chunks)
    {
        var requirements = new List<Requirement>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? previousText = null;
        foreach (var chunk in chunks)
        {
            var section = SectionOfPath(chunk.HeadingPath);
            var lines = chunk.Text.Split('\n');
            var start = 0;

            // Overlap: the first lines of a chunk may repeat the end of the one before it.
            while (previousText is not null && start < lines.Length && lines[start].Trim() is { Length: > 0 } repeated && previousText.Contains(repeated, StringComparison.Ordinal))
            {
                start++;
            }

            foreach (var raw in lines.Skip(start))
            {
                var line = raw.Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                if (HeadingSection(line) is { } heading)
                {
                    section = heading;
                    continue;
                }

                if (section == Section.Skipped)
                {
                    continue;
                }

                var bullet = BulletPattern().Match(line);
                var candidates = bullet.Success
                    ? [line[bullet.Length..].Trim()]
                    : SentenceSplitter.Split(line);
                foreach (var candidate in candidates)
                {
                    if (Read(candidate, section, bullet.Success, chunk.ChunkId) is { } requirement
                        && seen.Add(Normalize(requirement.Text)))
                    {
                        requirements.Add(requirement);
                        if (requirements.Count == MaxRequirements)
                        {
                            return requirements;
                        }
                    }
                }
            }

            previousText = chunk.Text;
        }

        return requirements;
    }

    /// <summary>Category, importance, years and key terms of one requirement text, given its section.</summary>
    public static Requirement Describe(string text, bool inResponsibilities, bool inPreferred, string? chunkId)
    {
        var years = RequiredYears.In(text);
        var importance = PreferredCue().IsMatch(text) ? RequirementImportance.Preferred
            : RequiredCue().IsMatch(text) ? RequirementImportance.Required
            : inPreferred ? RequirementImportance.Preferred
            : RequirementImportance.Required;
        var category = EducationCue().IsMatch(text) ? RequirementCategories.Education
            : years is not null || ExperienceCue().IsMatch(text) ? RequirementCategories.Experience
            : inResponsibilities ? RequirementCategories.Responsibility
            : RequirementCategories.Skill;
        return new Requirement(text, category, importance, years, KeyTerms.Of(text), chunkId);
    }

    private static Requirement? Read(string candidate, Section section, bool isBullet, string chunkId)
    {
        var text = Clip(candidate.Trim().TrimEnd(';', ',').Trim());
        if (text.Length == 0 || InstructionText.IsInstruction(text))
        {
            return null;
        }

        var asks = AskCue().IsMatch(text) || RequiredYears.In(text) is not null;
        var include = section switch
        {
            Section.Required or Section.Preferred or Section.Responsibilities => isBullet || asks || text.Length <= 120,
            _ => asks,
        };
        if (!include)
        {
            return null;
        }

        var requirement = Describe(text, section == Section.Responsibilities, section == Section.Preferred, chunkId);
        return requirement.KeyTerms.Count > 0 ? requirement : null;
    }

    private static Section SectionOfPath(string headingPath)
    {
        foreach (var heading in headingPath.Split(" > ").Reverse())
        {
            if (HeadingSection(heading) is { } section)
            {
                return section;
            }
        }

        return Section.Unknown;
    }

    /// <summary>The section a line names when it is a heading ("Requirements", "What you'll do:"); null for other lines.</summary>
    private static Section? HeadingSection(string line)
    {
        var text = line.Trim().TrimStart('#').Trim();
        var colon = text.EndsWith(':');
        text = text.TrimEnd(':').Trim();
        if (text.Length is 0 or > 60 || text.EndsWith('.') || BulletPattern().IsMatch(line) || text.Split(' ').Length > 7)
        {
            return null;
        }

        var lower = text.ToLowerInvariant();
        if (PreferredHeading().IsMatch(lower))
        {
            return Section.Preferred;
        }

        if (SkippedHeading().IsMatch(lower))
        {
            return Section.Skipped;
        }

        if (RequiredHeading().IsMatch(lower))
        {
            return Section.Required;
        }

        if (ResponsibilitiesHeading().IsMatch(lower))
        {
            return Section.Responsibilities;
        }

        return colon ? Section.Unknown : null;
    }

    private static string Clip(string text)
    {
        if (text.Length <= MaxTextLength)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', MaxTextLength - 1);
        return text[..(cut > MaxTextLength / 2 ? cut : MaxTextLength)];
    }

    private static string Normalize(string text) => string.Join(' ', KeyTerms.Words(text));

    [GeneratedRegex(@"^\s*(?:[-*•·‣◦▪–—+]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+", RegexOptions.CultureInvariant)]
    private static partial Regex BulletPattern();

    [GeneratedRegex(@"\b(nice[- ]to[- ]have|preferred|bonus|plus(es)?|desirable|desired|good[- ]to[- ]have|extra credit|would be great|ideally|optional)\b", RegexOptions.CultureInvariant)]
    private static partial Regex PreferredHeading();

    [GeneratedRegex(@"\b(about (us|the company|the team|company)|who we are|benefits|perks|(what )?we offer|compensation|salary|pay|equal opportunit\w*|how to apply|application process|our (culture|values|mission|story)|why (join|us|work)|location|working (hours|conditions))\b", RegexOptions.CultureInvariant)]
    private static partial Regex SkippedHeading();

    [GeneratedRegex(@"\b(requirements?|qualifications?|must[- ]haves?|what you('ll| will)? bring|you bring|what we('re| are) looking for|looking for|about you|who you are|you have|what you('ll| will)? need|skills|essentials?|competenc(e|ies)|profile|experience|education)\b", RegexOptions.CultureInvariant)]
    private static partial Regex RequiredHeading();

    [GeneratedRegex(@"\b(responsibilit(y|ies)|what you('ll| will) do|what you('ll| will) be doing|you will|you'll|duties|day[- ]to[- ]day|the role|your role|your impact|in this role|key tasks|tasks|mission|what the job involves)\b", RegexOptions.CultureInvariant)]
    private static partial Regex ResponsibilitiesHeading();

    [GeneratedRegex(@"\b(not required|nice[- ]to[- ]have|preferred|preferably|bonus|(is|are|as|a|would be) (a )?(big |huge )?plus|ideally|desirable|an advantage|advantageous|good[- ]to[- ]have|optional)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PreferredCue();

    [GeneratedRegex(@"\b(required|must|mandatory|essential|minimum|at least)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RequiredCue();

    [GeneratedRegex(@"\b(degree|bachelor'?s?|master'?s?|ph\.?\s?d|doctorate|b\.?sc|m\.?sc|b\.s\.|m\.s\.|diploma|graduate|university|college)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EducationCue();

    [GeneratedRegex(@"^(proven |demonstrated |solid |strong |extensive |hands-on |practical |professional |prior )?(experience|track record|background)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExperienceCue();

    [GeneratedRegex(@"\b(must|required|requires?|need(s|ed)?|looking for|seeking|experience (in|with|of|building|running|leading|designing)|knowledge of|proficien(t|cy)|familiar(ity)? with|expertise in|degree|bachelor|master|ph\.?d|understanding of|ability to|skilled in|you will|you'll|responsible for|nice[- ]to[- ]have|preferred|bonus|a plus|ideally)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AskCue();
}
