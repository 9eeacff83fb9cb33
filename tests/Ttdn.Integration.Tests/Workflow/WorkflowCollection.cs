namespace Ttdn.Integration.Tests.Workflow;

/// <summary>The seconds-long cycles run one after the other so their schedules are not starved of the machine's two cores.</summary>
[CollectionDefinition(Name)]
public sealed class WorkflowCollection
{
    public const string Name = "seconds-long cycles";
}
