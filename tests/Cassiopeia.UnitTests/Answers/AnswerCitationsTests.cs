using Cassiopeia.Core.Answers;

namespace Cassiopeia.UnitTests.Answers;

public sealed class AnswerCitationsTests
{
    private static readonly PromptSource[] Sources =
    [
        new(1, "doc_cv", "chk_1", "cv", "Dana Smith is a research scientist. She has ten years of photosynthesis research. She likes hiking."),
        new(2, "doc_cv", "chk_2", "cv", "Dana writes pipelines in Python and R."),
        new(3, "doc_jd", "chk_3", "jd", "The role needs Kubernetes experience."),
    ];

    [Theory]
    [InlineData("A [1].", new[] { 1 })]
    [InlineData("A [1, 3] and B [2][1].", new[] { 1, 3, 2, 1 })]
    [InlineData("A [source 2]; B [Sources 1;3].", new[] { 2, 1, 3 })]
    [InlineData("No markers, [x] or [] here.", new int[0])]
    public void Finds_markers_in_order(string answer, int[] expected) =>
        Assert.Equal(expected, AnswerCitations.Markers(answer).Select(m => m.Number));

    [Fact]
    public void Each_marker_carries_the_claim_it_ends()
    {
        var markers = AnswerCitations.Markers("Ten years of research [1]. Python and R [2][1].");

        Assert.Equal(["Ten years of research", ". Python and R", ". Python and R"], markers.Select(m => m.Claim));
    }

    [Fact]
    public void Citations_follow_first_mention_skip_unknown_sources_and_quote_the_supporting_sentence()
    {
        var citations = AnswerCitations.Resolve("She writes Python [2]. She did photosynthesis research for ten years [1][7][2].", Sources);

        Assert.Equal(["chk_2", "chk_1"], citations.Select(c => c.ChunkId));
        Assert.Equal("Dana writes pipelines in Python and R.", citations[0].Quote);
        Assert.Equal("She has ten years of photosynthesis research.", citations[1].Quote);
        Assert.All(citations, c => Assert.Contains(c.Quote, Sources.Single(s => s.ChunkId == c.ChunkId).Text, StringComparison.Ordinal));
    }

    [Fact]
    public void An_answer_without_valid_markers_cites_the_sources_it_shares_words_with()
    {
        var citations = AnswerCitations.Resolve("She has ten years of photosynthesis research [9].", Sources);

        Assert.Equal("chk_1", Assert.Single(citations).ChunkId);
        Assert.Equal("She has ten years of photosynthesis research.", citations[0].Quote);
    }

    [Fact]
    public void The_no_answer_reply_and_unrelated_text_cite_nothing()
    {
        Assert.Empty(AnswerCitations.Resolve(GroundedPrompt.NoAnswer, Sources));
        Assert.Empty(AnswerCitations.Resolve("Bonjour tout le monde", Sources));
    }

    [Fact]
    public void Long_quotes_are_cut_at_a_word_and_stay_verbatim()
    {
        var text = string.Join(' ', Enumerable.Repeat("photosynthesis", 60)) + ".";

        var quote = AnswerCitations.Quote(text, "photosynthesis");

        Assert.True(quote.Length <= AnswerCitations.MaxQuoteLength);
        Assert.StartsWith(quote, text, StringComparison.Ordinal);
        Assert.EndsWith("photosynthesis", quote, StringComparison.Ordinal);
    }
}
