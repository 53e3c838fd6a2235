using Cassiopeia.Core.Accounts;

namespace Cassiopeia.UnitTests.Accounts;

public sealed class SignUpEmailTests
{
    [Theory]
    [InlineData("a@b.c")]
    [InlineData("ann@example.com")]
    [InlineData("ann.lee+news@mail.example.co.uk")]
    public void Plain_address_is_an_email(string email)
    {
        Assert.True(SignUp.IsEmail(email));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("plainaddress")]
    [InlineData("ann@")]
    [InlineData("@example.com")]
    [InlineData("ann@@example.com")]
    [InlineData("ann example@example.com")]
    [InlineData("ann@example.com, bob@example.com")]
    public void Malformed_address_is_not_an_email(string email)
    {
        Assert.False(SignUp.IsEmail(email));
    }

    [Theory]
    [InlineData("Ann <a@b.c>")]
    [InlineData("\"Ann Lee\" <ann@example.com>")]
    [InlineData("<ann@example.com>")]
    [InlineData("ann@example.com (Ann)")]
    public void Display_name_form_is_not_an_email(string email)
    {
        Assert.False(SignUp.IsEmail(email));
    }

    [Theory]
    [InlineData(" ann@example.com")]
    [InlineData("ann@example.com ")]
    public void Address_with_surrounding_space_is_not_an_email(string email)
    {
        Assert.False(SignUp.IsEmail(email));
    }

    [Theory]
    [InlineData("ann\u0000@example.com")]
    [InlineData("ann@example.com\n")]
    [InlineData("ann\t@example.com")]
    [InlineData("\"ann\u0007\"@example.com")]
    public void Address_with_control_characters_is_not_an_email(string email)
    {
        Assert.False(SignUp.IsEmail(email));
    }

    [Fact]
    public void Address_of_254_characters_is_an_email()
    {
        var email = Address(254);

        Assert.Equal(254, email.Length);
        Assert.True(SignUp.IsEmail(email));
    }

    [Fact]
    public void Address_longer_than_254_characters_is_not_an_email()
    {
        var email = Address(255);

        Assert.Equal(255, email.Length);
        Assert.False(SignUp.IsEmail(email));
    }

    /// <summary>A 60-character local part and a domain of 50-character labels, padded to the wanted total length.</summary>
    private static string Address(int length)
    {
        var labels = new string('b', length - 61 - ".com".Length).ToCharArray();
        for (var i = 50; i < labels.Length - 1; i += 51)
        {
            labels[i] = '.';
        }

        return $"{new string('a', 60)}@{new string(labels)}.com";
    }
}
