using System.Text.RegularExpressions;

namespace Ttdn.Domain.Reports;

/// <summary>
/// Whose report it is when issued: the coordinating department's (its director signs), or under the
/// full chain the provincial People's Committee's (UBND tỉnh: its chairman or a vice-chairman signs).
/// </summary>
public enum ReportIssuer { Department, ProvincialCommittee }

/// <summary>
/// What a report is issued with (Nghị định 30/2020/NĐ-CP): its number and symbol (số, ký hiệu, e.g.
/// "125/BC-UBND"), the date of its date line, and the name of who signed it. Given by the last
/// person of the approval chain; until then the report is a draft with those left blank.
/// </summary>
public sealed partial record ReportIssue(int Number, string Symbol, DateOnly IssuedOn, string SignedBy)
{
    public const int MaxNumber = 99999;
    public const int MaxSymbol = 30;
    public const int MaxName = 100;

    /// <summary>"125/BC-UBND".</summary>
    public string Reference => $"{Number.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{Symbol}";

    /// <summary>Problems with a number and symbol as a person typed them, each naming the field; empty when usable.</summary>
    public static IReadOnlyList<(string Field, string Message)> Validate(int? number, string? symbol)
    {
        var errors = new List<(string, string)>();
        if (number is not (>= 1 and <= MaxNumber))
            errors.Add(("number", $"The document number: a whole number from 1 to {MaxNumber}."));
        if (symbol is null || symbol.Length > MaxSymbol || !SymbolPattern().IsMatch(symbol))
            errors.Add(("symbol", $"The symbol (ký hiệu): capital letters and digits in parts joined by hyphens, such as BC-UBND, at most {MaxSymbol} characters."));
        return errors;
    }

    [GeneratedRegex(@"^[A-ZĐ0-9]+(-[A-ZĐ0-9]+)*$")]
    private static partial Regex SymbolPattern();
}
