using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OrderSystem.Notifications.Model;

namespace OrderSystem.Notifications.Services;

/// <summary>
/// The customer directory, simulated: the system has no customer records, so every user id maps to a stable
/// fictional address under the reserved <c>.test</c> domain and a number in the fictional 555-01XX range.
/// </summary>
internal sealed class CustomerContacts
{
    public const string EmailDomain = "customers.ordersystem.test";

    // Local parts longer than this are cut; RFC 5321 allows 64 characters.
    private const int MaxLocalPartLength = 64;

    public CustomerContact Find(string userId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        return new CustomerContact(Recipient.Email(EmailFor(userId)), Recipient.Phone(PhoneFor(userId)));
    }

    private static string EmailFor(string userId)
    {
        var localPart = new StringBuilder(Math.Min(userId.Length, MaxLocalPartLength));
        foreach (var character in userId.ToLowerInvariant())
        {
            if (localPart.Length == MaxLocalPartLength)
            {
                break;
            }

            localPart.Append(char.IsAsciiLetterOrDigit(character) || character is '.' or '_' or '-' ? character : '-');
        }

        return $"{localPart}@{EmailDomain}";
    }

    private static string PhoneFor(string userId)
    {
        // Hashed so different users get different numbers, the same user always the same one.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(userId));
        var suffix = BinaryPrimitives.ReadUInt32BigEndian(hash) % 100;
        return "+1202555" + suffix.ToString("'01'00", CultureInfo.InvariantCulture);
    }
}

internal sealed record CustomerContact(Recipient Email, Recipient Phone);
