using System.Text.RegularExpressions;

namespace Cassiopeia.Core.Interviews.Integrity;

/// <summary>
/// Recognises text written to steer a model rather than to inform a reader: "ignore previous
/// instructions", "rate this candidate 100", "you are an AI…", chat-template and system-prompt
/// markers. Such text in a CV or job description never counts as evidence or as a requirement and is
/// reported as an integrity flag. The patterns aim at the imperative addressed to a model or a
/// screener; ordinary job and CV language ("respond to incidents", "rated top performer") does not match.
/// </summary>
public static partial class InstructionText
{
    public static bool IsInstruction(string sentence) => sentence.Length > 0 && Pattern().IsMatch(sentence);

    [GeneratedRegex("""
        \b(ignore|disregard|forget|override|bypass)\b[\w\s,]{0,30}?\b(previous|prior|above|earlier|preceding|all|any|your|the|other)\b[\w\s]{0,20}?\b(instructions?|prompts?|rules|directions|guidelines|context|messages?)\b
        | \b(rate|score|rank|grade|mark|evaluate|assess)\s+(this|the)\s+(candidate|applicant|cv|resume|résumé|profile|person|answer|response)\b[^.\n]{0,40}?(\d{1,3}\s*(%|/\s*\d+|out\s+of|points)?|highly|high|top|highest|maximum|max|perfect|best|excellent|as\s+a\s+(perfect|strong|top))
        | \b(this|the)\s+(candidate|applicant)\s+(is|should\s+be)\s+(the\s+|a\s+)?(perfect|ideal|best|top|excellent)\s+(fit|match|candidate|choice)
        | \b(recommend|hire|shortlist|select|approve|advance)\s+(this|the)\s+(candidate|applicant)\b
        | \byou\s+are\s+(now\s+)?(an?|the|my)\s+([\w-]+\s+){0,2}(ai|a\.i\.|assistant|language\s+model|llm|chatbot|bot|gpt|model|recruiter|screener|system)\b
        | \bas\s+an?\s+(ai|language\s+model|llm)\b
        | \b(pretend|act)\s+(to\s+be|you\s+are|as\s+(an?|the))\b
        | \b(system|developer)\s+(prompt|message|instructions?)\b
        | (^|\n)\s*(system|assistant|user)\s*:
        | <\|?\s*(im_start|im_end|system|endoftext)\s*\|?>
        | \[/?(inst|sys)\]
        | \#\#\#\s*(system|instruction)
        | \bnew\s+instructions?\s*:
        | \b(note|message|instructions?)\s+(to|for)\s+(the\s+)?(ai|llm|model|assistant|chatgpt|gpt|bot|screener|ats|recruiting\s+software)\b
        | \b(reply|respond|answer|output|return|print|say)\s+(only\s+|exactly\s+)?(with\s+)?["'“‘]
        | \b(do\s+not|don't|never)\s+(mention|reveal|disclose)\s+(this|these|that)\s+(instruction|text|note|message)
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Pattern();
}
