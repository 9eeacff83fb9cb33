namespace Ttdn.Domain.Units;

/// <summary>A person the workflow writes to, by name.</summary>
public sealed record Contact(string Name, string Email);

/// <summary>
/// A province and its coordinating body. <see cref="Name"/> is the issuing body of the report
/// (e.g. "Sở Văn hóa, Thể thao và Du lịch"), <see cref="ParentBody"/> the body above it
/// (e.g. "UBND tỉnh Quảng Trị"), <see cref="Place"/> the place name of the report's date line.
/// <see cref="Approver"/> (the department's leader who approves the draft) and <see cref="Signer"/>
/// (who signs for the UBND tỉnh) are asked by the approval chain; without them, the coordinator is.
/// </summary>
public sealed record Province(
    string Id,
    string Name,
    string ParentBody,
    string Place,
    Contact Coordinator,
    string DocumentPrefix = "BC-SVHTTDL",
    Contact? Approver = null,
    Contact? Signer = null)
{
    /// <summary>The symbol of a report the UBND tỉnh issues.</summary>
    public const string CommitteeSymbol = "BC-UBND";

    /// <summary>The contact the province named for the approval (or with <paramref name="signature"/> the signature), if any.</summary>
    public Contact? NamedFor(bool signature) => signature ? Signer : Approver;

    /// <summary>Whoever the chain asks: the approver or the signer, the coordinator in place of one the province has not named.</summary>
    public Contact AskedFor(bool signature) => NamedFor(signature) ?? Coordinator;
}
