namespace Ttdn.Domain.Units;

public sealed record Coordinator(string Name, string Email);

/// <summary>
/// A province and its coordinating body. <see cref="Name"/> is the issuing body of the report
/// (e.g. "Sở Văn hóa, Thể thao và Du lịch"), <see cref="ParentBody"/> the body above it
/// (e.g. "UBND tỉnh Quảng Trị"), <see cref="Place"/> the place name of the report's date line.
/// </summary>
public sealed record Province(
    string Id,
    string Name,
    string ParentBody,
    string Place,
    Coordinator Coordinator,
    string DocumentPrefix = "BC-SVHTTDL");
