namespace Cassiopeia.Core.Interviews.Practice;

/// <summary>
/// Builds interview questions without a model: subjects per category from the requirements and CV
/// claims (best first: the focus, then required, missing or responsibility-like ones), a share of
/// the questions per category (technical 3, behavioural 2, gap-probing 2, experience 2; a category
/// named by the focus ×8, one holding the focus topic ×2), one template per question and never a template twice, interleaved by
/// category. The same material, request and seed give the same questions.
/// </summary>
public static class OfflineQuestionGenerator
{
    public const string Version = "questions-offline-v1";

    private static readonly QuestionCategory[] Order =
        [QuestionCategory.Technical, QuestionCategory.Behavioural, QuestionCategory.GapProbing, QuestionCategory.ExperienceDeepDive];

    public static IReadOnlyList<PracticeQuestion> Generate(PracticeMaterial material, QuestionRequest request)
    {
        var count = Math.Clamp(request.Count, 1, QuestionRequest.MaxCount);
        var random = new SeededRandom(request.Seed ^ SeededRandom.Hash(Inputs(material)));
        var focusCategory = QuestionSubjects.FocusCategory(request.Focus);
        var focusStems = QuestionSubjects.FocusStems(request.Focus);

        var candidates = new Dictionary<QuestionCategory, List<PracticeQuestion>>();
        var weights = new Dictionary<QuestionCategory, double>();
        foreach (var category in Order)
        {
            var subjects = QuestionSubjects.For(category, material, focusStems, random);
            candidates[category] = Candidates(category, subjects, request.Difficulty, random);
            weights[category] = (category == QuestionCategory.Technical ? 3 : 2)
                * (category == focusCategory ? 8 : 1)
                * (subjects.Any(s => s.Focus > 0) ? 2 : 1);
        }

        var quotas = Allocate(count, weights, candidates.ToDictionary(c => c.Key, c => c.Value.Count));
        var start = random.Below(Order.Length);
        var questions = new List<PracticeQuestion>(count);
        for (var round = 0; questions.Count < quotas.Values.Sum(); round++)
        {
            for (var i = 0; i < Order.Length; i++)
            {
                var category = Order[(start + i) % Order.Length];
                if (round < quotas[category])
                {
                    questions.Add(candidates[category][round]);
                }
            }
        }

        return questions;
    }

    /// <summary>Every question the category could ask, best first: each round gives each subject one new template.</summary>
    private static List<PracticeQuestion> Candidates(QuestionCategory category, List<QuestionSubject> subjects, Difficulty? wanted, SeededRandom random)
    {
        var templates = QuestionTemplates.All.Where(t => t.Category == category).ToList();
        random.Shuffle(templates);
        if (wanted is { } difficulty)
        {
            templates = templates.OrderBy(t => Math.Abs(t.Natural - difficulty)).ToList();
        }

        var questions = new List<PracticeQuestion>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var progress = true;
        while (progress)
        {
            progress = false;
            foreach (var subject in subjects)
            {
                var template = templates.FirstOrDefault(t => t.AppliesTo(subject));
                if (template is null)
                {
                    continue;
                }

                templates.Remove(template);
                var question = Build(template, subject, wanted ?? template.Natural);
                if (seen.Add(PracticeText.Normalized(question.Text)))
                {
                    questions.Add(question);
                    progress = true;
                }
            }
        }

        return questions;
    }

    private static PracticeQuestion Build(QuestionTemplate template, QuestionSubject subject, Difficulty difficulty)
    {
        var text = template.Text(subject);
        if (QuestionTemplates.Adjustment(template.Category, template.Natural, difficulty) is { } adjustment)
        {
            text = $"{text} {adjustment}";
        }

        return new PracticeQuestion(text, template.Category, difficulty, QuestionRubrics.For(template.Category, difficulty, subject), subject.Sources, template.Id);
    }

    /// <summary>Largest-remainder shares of <paramref name="count"/> by weight, capped by what each category can ask; what a full category cannot take goes to the others.</summary>
    private static Dictionary<QuestionCategory, int> Allocate(int count, Dictionary<QuestionCategory, double> weights, Dictionary<QuestionCategory, int> capacity)
    {
        var quotas = Order.ToDictionary(c => c, _ => 0);
        var remaining = Math.Min(count, capacity.Values.Sum());
        while (remaining > 0)
        {
            var open = Order.Where(c => quotas[c] < capacity[c] && weights[c] > 0).ToList();
            var total = open.Sum(c => weights[c]);
            var shares = open.Select(c => (Category: c, Share: remaining * weights[c] / total)).ToList();
            var given = 0;
            foreach (var (category, share) in shares)
            {
                var take = Math.Min((int)Math.Floor(share), capacity[category] - quotas[category]);
                quotas[category] += take;
                given += take;
            }

            foreach (var (category, _) in shares.OrderByDescending(s => s.Share - Math.Floor(s.Share)).ThenBy(s => Array.IndexOf(Order, s.Category)))
            {
                if (given == remaining)
                {
                    break;
                }

                if (quotas[category] < capacity[category])
                {
                    quotas[category]++;
                    given++;
                }
            }

            remaining -= given;
        }

        return quotas;
    }

    private static IEnumerable<string> Inputs(PracticeMaterial material) =>
        material.Requirements.Select(r => $"{r.Text}|{r.Category}|{r.Importance}|{r.Status}|{string.Join(',', r.KeyTerms)}")
            .Concat(material.Claims.Select(c => $"{c.Text}|{c.Kind}|{c.ChunkId}"));
}
