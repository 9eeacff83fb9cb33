using System.Text;
using System.Text.RegularExpressions;

namespace Ttdn.Domain.Units;

public sealed record CsvError(int Line, string Message);

public sealed record UnitCsvResult(IReadOnlyList<Unit> Units, IReadOnlyList<CsvError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// The unit directory file of DOMAIN.md: UTF-8, header <c>id,name,group,focal_email,head_email</c>,
/// RFC 4180 quoting. A file is accepted whole or refused whole, with every error and its line.
/// </summary>
public static partial class UnitCsv
{
    public const string Header = "id,name,group,focal_email,head_email";
    public const int MaxUnits = 20_000;
    private static readonly string[] Columns = Header.Split(',');
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex IdPattern();

    public static UnitCsvResult Parse(ReadOnlySpan<byte> content)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return Fail(0, "The file is not valid UTF-8. Save it as \"CSV UTF-8\" and upload it again.");
        }
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];

        var records = ReadRecords(text, out var syntaxError);
        if (syntaxError is not null) return new([], [syntaxError]);
        if (records.Count == 0) return Fail(1, $"The file is empty; the first line must be the header \"{Header}\".");

        var (headerLine, header) = records[0];
        if (header.Count != Columns.Length || !header.Select(h => h.Trim()).SequenceEqual(Columns, StringComparer.OrdinalIgnoreCase))
            return Fail(headerLine, $"The header must be exactly \"{Header}\".");
        if (records.Count - 1 > MaxUnits) return Fail(records[^1].Line, $"At most {MaxUnits} units per file.");

        var units = new List<Unit>();
        var errors = new List<CsvError>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.Count == 1 && fields[0].Trim().Length == 0) continue;
            if (fields.Count != Columns.Length)
            {
                errors.Add(new(line, $"Expected {Columns.Length} fields, found {fields.Count}."));
                continue;
            }
            var f = fields.Select(v => v.Trim()).ToArray();
            var before = errors.Count;
            if (!IdPattern().IsMatch(f[0]))
                errors.Add(new(line, $"id \"{f[0]}\" must be 1 to 64 letters, digits or '-'."));
            else if (seen.TryGetValue(f[0], out var firstLine))
                errors.Add(new(line, $"id \"{f[0]}\" is a duplicate of line {firstLine}."));
            else
                seen[f[0]] = line;
            if (f[1].Length is 0 or > 200 || f[1].Any(char.IsControl))
                errors.Add(new(line, "name must be 1 to 200 characters."));
            if (!UnitGroups.IsKnown(f[2]))
                errors.Add(new(line, $"group \"{f[2]}\" is unknown; use one of {string.Join(", ", UnitGroups.All)}."));
            if (!EmailAddress.IsValid(f[3]))
                errors.Add(new(line, $"focal_email \"{f[3]}\" is not an email address."));
            if (!EmailAddress.IsValid(f[4]))
                errors.Add(new(line, $"head_email \"{f[4]}\" is not an email address."));
            if (errors.Count == before)
                units.Add(new Unit(f[0], f[1], f[2], f[3], f[4]));
        }
        if (errors.Count == 0 && units.Count == 0)
            errors.Add(new(headerLine, "The file lists no units."));
        return errors.Count == 0 ? new(units, []) : new([], errors);
    }

    public static string Write(IEnumerable<Unit> units)
    {
        var sb = new StringBuilder(Header).Append('\n');
        foreach (var u in units)
            sb.AppendJoin(',', new[] { u.Id, u.Name, u.Group, u.FocalEmail, u.HeadEmail }.Select(Quote)).Append('\n');
        return sb.ToString();
    }

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;

    private static UnitCsvResult Fail(int line, string message) => new([], [new CsvError(line, message)]);

    /// <summary>Splits RFC 4180 text into records, each with the line it starts on.</summary>
    private static List<(int Line, List<string> Fields)> ReadRecords(string text, out CsvError? error)
    {
        error = null;
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1, i = 0;
        var quoted = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                if (c == '"') { quoted = false; i++; continue; }
                if (c == '\n') line++;
                field.Append(c);
                i++;
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add((recordLine, fields));
                    fields = [];
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
            i++;
        }
        if (quoted)
        {
            error = new CsvError(recordLine, "A quoted field is not closed.");
            return records;
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add((recordLine, fields));
        }
        return records;
    }
}
