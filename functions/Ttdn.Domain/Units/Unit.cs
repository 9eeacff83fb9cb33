namespace Ttdn.Domain.Units;

/// <summary>A reporting unit of a province: a department, a commune, a mass organisation or a press body.</summary>
public sealed record Unit(string Id, string Name, string Group, string FocalEmail, string HeadEmail);

/// <summary>The fixed unit group codes of DOMAIN.md, in report order.</summary>
public static class UnitGroups
{
    public const string Departments = "so-nganh";
    public const string Communes = "xa-phuong";
    public const string MassOrganisations = "doan-the";
    public const string Press = "bao-chi";

    public static readonly IReadOnlyList<string> All = [Departments, Communes, MassOrganisations, Press];

    public static bool IsKnown(string code) => All.Contains(code, StringComparer.Ordinal);

    public static string Label(string code) => code switch
    {
        Departments => "Sở, ban, ngành",
        Communes => "UBND cấp xã",
        MassOrganisations => "MTTQ và các tổ chức chính trị - xã hội",
        Press => "Cơ quan báo chí",
        _ => code,
    };
}
