using Azure.Data.Tables;
using Ttdn.App.Hosting;

namespace Ttdn.Integration.Tests.Infrastructure;

/// <summary>The tables the Azure Storage provider keeps for an app's task hub, read directly by the tests.</summary>
public static class TaskHubTables
{
    /// <summary>One row an orchestration instance (partition key its id): status, execution, input, version.</summary>
    public static TableClient Instances(string connection, AppPlace place) => Table(connection, place, "Instances");

    /// <summary>The history of each instance's latest execution, a row an event (partition key the instance id).</summary>
    public static TableClient History(string connection, AppPlace place) => Table(connection, place, "History");

    private static TableClient Table(string connection, AppPlace place, string name) =>
        new(connection, LocalTaskHub.HubNameFor("", place.Prefix) + name);
}
