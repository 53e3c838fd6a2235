using Cassiopeia.Core.Common;

namespace Cassiopeia.UnitTests.Common;

public sealed class ValidationTests
{
    [Fact]
    public void New_validation_is_valid()
    {
        Assert.True(new Validation().IsValid);
    }

    [Fact]
    public void Met_requirement_keeps_validation_valid()
    {
        Assert.True(new Validation().Require(true, "name", "Bad.").IsValid);
    }

    [Fact]
    public void Failed_requirements_are_all_collected_by_field()
    {
        var error = new Validation()
            .Require(false, "name", "First.")
            .Require(true, "name", "Not shown.")
            .Require(false, "name", "Second.")
            .Require(false, "email", "Third.")
            .ToError();

        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal("validation", error.Code);
        Assert.NotNull(error.Fields);
        Assert.Equal(["First.", "Second."], error.Fields["name"]);
        Assert.Equal(["Third."], error.Fields["email"]);
        Assert.Equal(2, error.Fields.Count);
    }

    [Fact]
    public void Field_names_are_case_sensitive()
    {
        var error = new Validation().Require(false, "name", "a").Require(false, "Name", "b").ToError();

        Assert.Equal(2, error.Fields!.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Missing_optional_text_is_valid(string? value)
    {
        Assert.True(new Validation().Text(value, "name", 10).IsValid);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Missing_required_text_is_reported(string? value)
    {
        var error = new Validation().Text(value, "name", 10, required: true).ToError();

        Assert.Equal(["Required."], error.Fields!["name"]);
    }

    [Fact]
    public void Text_at_maximum_length_is_valid()
    {
        Assert.True(new Validation().Text(new string('a', 10), "name", 10).IsValid);
    }

    [Fact]
    public void Text_longer_than_maximum_is_reported()
    {
        var error = new Validation().Text(new string('a', 11), "name", 10).ToError();

        Assert.Equal(["At most 10 characters."], error.Fields!["name"]);
    }

    [Theory]
    [InlineData("a\u0000b")]
    [InlineData("a\u001bb")]
    [InlineData("a\u007fb")]
    [InlineData("a\u0085b")]
    public void Text_with_control_characters_is_reported(string value)
    {
        var error = new Validation().Text(value, "name", 10).ToError();

        Assert.Equal(["Control characters are not allowed."], error.Fields!["name"]);
    }

    [Fact]
    public void Text_may_contain_tabs_and_line_breaks()
    {
        Assert.True(new Validation().Text("a\tb\r\nc\nd", "name", 10).IsValid);
    }

    [Fact]
    public void Text_too_long_and_with_control_characters_reports_both()
    {
        var error = new Validation().Text("aaaaaaaaaa\u0000", "name", 10).ToError();

        Assert.Equal(2, error.Fields!["name"].Length);
    }
}
