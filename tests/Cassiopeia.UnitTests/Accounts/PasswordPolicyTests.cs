using Cassiopeia.Core.Accounts;

namespace Cassiopeia.UnitTests.Accounts;

public sealed class PasswordPolicyTests
{
    private const string Email = "annabelle@example.com";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("zq8#vLm2p")]
    public void Password_shorter_than_minimum_is_rejected(string? password)
    {
        Assert.Equal("Use at least 10 characters.", PasswordPolicy.Check(password, Email));
    }

    [Fact]
    public void Password_of_exactly_minimum_length_is_accepted()
    {
        Assert.Null(PasswordPolicy.Check("zq8#vLm2pX", Email));
    }

    [Fact]
    public void Password_of_exactly_maximum_length_is_accepted()
    {
        var password = string.Concat(Enumerable.Repeat("zq8#vLm2", 16));

        Assert.Equal(PasswordPolicy.MaxLength, password.Length);
        Assert.Null(PasswordPolicy.Check(password, Email));
    }

    [Fact]
    public void Password_longer_than_maximum_is_rejected()
    {
        var password = string.Concat(Enumerable.Repeat("zq8#vLm2", 16)) + "x";

        Assert.Equal("Use at most 128 characters.", PasswordPolicy.Check(password, Email));
    }

    [Theory]
    [InlineData("password123")]
    [InlineData("qwertyuiop")]
    [InlineData("passwordpassword")]
    public void Common_password_is_rejected(string password)
    {
        Assert.Equal("This password is too common; choose another.", PasswordPolicy.Check(password, Email));
    }

    [Theory]
    [InlineData("PassWord123")]
    [InlineData("QWERTYUIOP")]
    public void Common_password_check_ignores_case(string password)
    {
        Assert.Equal("This password is too common; choose another.", PasswordPolicy.Check(password, Email));
    }

    [Theory]
    [InlineData("my annabelle pass")]
    [InlineData("xx-ANNABELLE-2024")]
    public void Password_containing_email_local_part_is_rejected(string password)
    {
        Assert.Equal("The password must not contain your e-mail address.", PasswordPolicy.Check(password, Email));
    }

    [Fact]
    public void Email_local_part_is_matched_regardless_of_its_case()
    {
        Assert.Equal("The password must not contain your e-mail address.", PasswordPolicy.Check("my annabelle pass", "AnnaBelle@Example.com"));
    }

    [Fact]
    public void Email_local_part_shorter_than_four_characters_is_not_checked()
    {
        Assert.Null(PasswordPolicy.Check("joanna's long pass", "ann@example.com"));
    }

    [Theory]
    [InlineData("abababababab")]
    [InlineData("abcabcabcabc")]
    [InlineData("AaBbAaBbAaBb")]
    public void Password_with_too_few_distinct_characters_is_rejected(string password)
    {
        Assert.Equal("This password repeats too few characters.", PasswordPolicy.Check(password, Email));
    }

    [Fact]
    public void Password_with_four_distinct_characters_passes_the_repetition_check()
    {
        Assert.Null(PasswordPolicy.Check("abcdabcdabcd", Email));
    }

    [Fact]
    public void Good_passphrase_is_accepted()
    {
        Assert.Null(PasswordPolicy.Check("correct horse battery staple", Email));
    }
}
