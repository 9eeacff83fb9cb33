namespace Ttdn.App.Admin;

/// <summary>
/// Marks an admin API endpoint that a role besides admin may call: the reviewer's decisions on
/// submissions, the approver's and the signer's on the draft. Every other write is the admin's.
/// </summary>
public sealed record ActingRole(string Role);
