using OrderSystem.Notifications.Model;
using OrderSystem.Notifications.Services;

namespace OrderSystem.Tests.Notifications;

[Trait("Category", "Unit")]
public sealed class RecipientTests
{
    [Theory]
    [InlineData("jane.doe@example.com", "j***@example.com")]
    [InlineData("x@example.com", "x***@example.com")]
    [InlineData("no-at-sign", "***")]
    public void An_email_keeps_its_first_character_and_domain(string address, string masked)
    {
        var recipient = Recipient.Email(address);

        Assert.Equal(address, recipient.Address);
        Assert.Equal(masked, recipient.Masked);
        Assert.Equal(masked, recipient.ToString());
    }

    [Theory]
    [InlineData("+12025550142", "**********42")]
    [InlineData("42", "***")]
    public void A_phone_number_keeps_its_last_two_digits(string number, string masked)
    {
        var recipient = Recipient.Phone(number);

        Assert.Equal(masked, recipient.Masked);
        Assert.Equal(masked, $"{recipient}");
    }

    [Fact]
    public void Customer_contacts_are_stable_fictional_and_distinct_per_user()
    {
        var contacts = new CustomerContacts();

        var jane = contacts.Find("Jane Doe");

        Assert.Equal($"jane-doe@{CustomerContacts.EmailDomain}", jane.Email.Address);
        Assert.Matches(@"^\+120255501\d\d$", jane.Phone.Address);
        Assert.Equal(jane.Phone.Address, contacts.Find("Jane Doe").Phone.Address);
        Assert.NotEqual(jane.Phone.Address, contacts.Find("John Roe").Phone.Address);
    }
}
