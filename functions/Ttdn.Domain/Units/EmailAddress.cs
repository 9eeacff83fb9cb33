using System.Text.RegularExpressions;

namespace Ttdn.Domain.Units;

public static partial class EmailAddress
{
    // Deliberately plain: one @, a dotted domain, no spaces or angle brackets. Mail servers decide the rest.
    [GeneratedRegex(@"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? text) => text is { Length: > 0 and <= 254 } && Pattern().IsMatch(text);
}
