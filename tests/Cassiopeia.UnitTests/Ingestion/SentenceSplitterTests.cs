using Cassiopeia.Core.Ingestion;

namespace Cassiopeia.UnitTests.Ingestion;

public sealed class SentenceSplitterTests
{
    [Theory]
    [InlineData("I used tools, e.g. Python and Go. Then I left.", new[] { "I used tools, e.g. Python and Go.", "Then I left." })]
    [InlineData("Dr. Smith met J. Doe at Acme Inc. in 2020. It went well!", new[] { "Dr. Smith met J. Doe at Acme Inc. in 2020.", "It went well!" })]
    [InlineData("Version 3.5 shipped. \"Great,\" she said. Why? Because.", new[] { "Version 3.5 shipped.", "\"Great,\" she said.", "Why?", "Because." })]
    [InlineData("Holds a Ph.D. From MIT.", new[] { "Holds a Ph.D. From MIT." })]
    [InlineData("first line\nsecond line", new[] { "first line", "second line" })]
    [InlineData("我是工程师。我喜欢编程！", new[] { "我是工程师。", "我喜欢编程！" })]
    [InlineData("no terminal punctuation", new[] { "no terminal punctuation" })]
    [InlineData("lower case after a stop. stays together", new[] { "lower case after a stop. stays together" })]
    public void Splits_at_sentence_ends_but_not_at_abbreviations_initials_or_decimals(string text, string[] expected) =>
        Assert.Equal(expected, SentenceSplitter.Split(text));

    [Fact]
    public void Empty_and_blank_text_has_no_sentences()
    {
        Assert.Empty(SentenceSplitter.Split(""));
        Assert.Empty(SentenceSplitter.Split(" \n  "));
    }
}
