using System.Net.Http.Json;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ttdn.App.Workflow;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Workflow;

/// <summary>A submission's receipt is performed by the process that took the submission, and by the sweep if that process stops first.</summary>
[Collection(WorkflowCollection.Name)]
public sealed class HandOffTests
{
    private const string Province = "kon-tum";
    private static readonly string[] Units = ["so-ngoai-vu", "xa-dak-ha", "bao-kon-tum"];

    [Fact]
    public async Task A_receipt_goes_out_from_the_process_that_took_the_submission_without_a_queue_message_or_a_read_back()
    {
        var storage = new StorageCalls();
        await using var app = await TestApp.StartAsync(configure: b => b.Services.AddSingleton<HttpPipelinePolicy>(storage));
        var tokens = await OpenAsync(app, "2026-X-giao-tay");

        storage.Clear();
        await SubmitAsync(app, tokens["xa-dak-ha"]);
        await app.Mail.WaitAsync(m => m.Any(x => x.Kind == "receipt" && x.Unit == "xa-dak-ha"), TimeSpan.FromSeconds(20), "the receipt");
        await Outbox.WaitAsync(async () => (await OutboxRowsAsync(app, "2026-X-giao-tay")).Count == 0, TimeSpan.FromSeconds(20), "the receipt's outbox row to go");

        Assert.True(storage.MessagesSent == 0, storage.ToString());
        // The receipt is composed from what the submission's transaction wrote, not read back.
        Assert.True(storage.PointReadsOf(app.Place.Prefix + "cycles", "sub|") == 0, storage.ToString());
        Assert.Equal(1, storage.PointReadsOf(app.Place.Prefix + "cycles", "req|"));
        Assert.Single(app.Mail.Of("receipt", "xa-dak-ha"));
    }

    [Fact]
    public async Task A_handed_off_receipt_the_process_did_not_perform_is_sent_by_the_sweep_once_its_lease_runs_out()
    {
        await using var app = await TestApp.StartAsync();
        var tokens = await OpenAsync(app, "2026-X-giao-lai");

        // The process stops performing what it hands itself, as if it died right after the answer.
        var pump = app.Services.GetServices<IHostedService>().OfType<OutboxHandOffPump>().Single();
        await pump.StopAsync(default);
        await SubmitAsync(app, tokens["bao-kon-tum"]);
        var rows = await OutboxRowsAsync(app, "2026-X-giao-lai");
        var row = Assert.Single(rows);
        Assert.True(row.GetDateTimeOffset("LeaseUntil") > DateTimeOffset.UtcNow, "the row is written with its lease taken");
        Assert.Empty(app.Mail.Of("receipt", "bao-kon-tum"));

        // The lease (10 s in these tests) runs out and the sweep sends the receipt, once.
        await app.Mail.WaitAsync(m => m.Any(x => x.Kind == "receipt" && x.Unit == "bao-kon-tum"), TimeSpan.FromSeconds(40), "the receipt from the sweep");
        await Outbox.WaitAsync(async () => (await OutboxRowsAsync(app, "2026-X-giao-lai")).Count == 0, TimeSpan.FromSeconds(20), "the row to go");
        Assert.Single(app.Mail.Of("receipt", "bao-kon-tum"));
    }

    private static async Task<IReadOnlyDictionary<string, string>> OpenAsync(TestApp app, string period)
    {
        await app.SeedAsync(Province, TestApp.UnitsCsv(Units));
        (await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new { period, dueAt = DateTimeOffset.UtcNow.AddDays(30) })).EnsureSuccessStatusCode();
        var mail = await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == Units.Length, TimeSpan.FromSeconds(20), "the requests");
        // Nothing of the opening is left to perform.
        await Outbox.WaitAsync(async () => (await OutboxRowsAsync(app, period)).Count == 0, TimeSpan.FromSeconds(20), "the opening's outbox rows to go");
        return mail.Where(m => m.Kind == "request").ToDictionary(m => m.Unit, m => m.Token!);
    }

    private static async Task SubmitAsync(TestApp app, string token)
    {
        var response = await app.Client.PostAsJsonAsync($"/api/submissions/{token}", new { indicators = new { hop_bao = 2 } });
        response.EnsureSuccessStatusCode();
    }

    private static async Task<List<TableEntity>> OutboxRowsAsync(TestApp app, string period)
    {
        var table = new TableClient(await Azurite.ConnectionStringAsync(), app.Place.Prefix + "cycles");
        var rows = new List<TableEntity>();
        await foreach (var e in table.QueryAsync<TableEntity>(CycleKeys.CycleRowsOf(CycleKeys.Partition(Province, period), CycleKeys.OutboxPrefix)))
            rows.Add(e);
        return rows;
    }
}
