namespace Ttdn.Integration.Tests.Workflow;

/// <summary>
/// The seconds-long cycles run one after the other so their schedules are not starved of the machine's
/// two cores; tests that start whole apps or processes (or publish the package) join them for the same reason.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WorkflowCollection
{
    public const string Name = "seconds-long cycles";
}
