using System.Net;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Ttdn.App.Storage;

namespace Ttdn.Integration.Tests.Storage;

/// <summary>On Azure the app names only the storage account and authenticates with an Entra ID token (the managed identity).</summary>
public sealed class StorageAccountTests
{
    private sealed class FakeCredential : TokenCredential
    {
        public int Requests;
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Requests);
            return new AccessToken("token-from-the-managed-identity", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    /// <summary>Records each request instead of sending it and answers 403, which no client retries.</summary>
    private sealed class RecordingHandler : HttpMessageHandler
    {
        public readonly List<HttpRequestMessage> Requests = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests) Requests.Add(request);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent("") });
        }
    }

    [Fact]
    public async Task With_only_an_account_name_every_service_is_reached_over_https_with_a_bearer_token()
    {
        var credential = new FakeCredential();
        var recorder = new RecordingHandler();
        var account = StorageAccount.Connect(new StorageOptions { AccountName = "ttdnprod01" }, () => credential, o =>
        {
            o.Transport = new HttpClientTransport(new HttpClient(recorder));
            o.Retry.MaxRetries = 0;
        });
        var stores = new Stores(account, Microsoft.Extensions.Options.Options.Create(new StorageOptions { AccountName = "ttdnprod01" }));

        await Assert.ThrowsAsync<RequestFailedException>(() => stores.Cycles.CreateIfNotExistsAsync());
        await Assert.ThrowsAsync<RequestFailedException>(() => stores.Reports.CreateIfNotExistsAsync());

        Assert.Equal(["ttdnprod01.table.core.windows.net", "ttdnprod01.blob.core.windows.net"],
            recorder.Requests.Select(r => r.RequestUri!.Host));
        Assert.All(recorder.Requests, r =>
        {
            Assert.Equal("https", r.RequestUri!.Scheme);
            Assert.Equal("Bearer", r.Headers.Authorization?.Scheme);
            Assert.Equal("token-from-the-managed-identity", r.Headers.Authorization?.Parameter);
        });
        Assert.True(credential.Requests > 0);
    }

    [Fact]
    public void A_connection_string_wins_and_needs_no_credential()
    {
        var account = StorageAccount.Connect(
            new StorageOptions { ConnectionString = "UseDevelopmentStorage=true", AccountName = "ignored" },
            () => throw new InvalidOperationException("no credential may be created with a connection string"));
        Assert.Equal("devstoreaccount1", account.Queues.AccountName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Not_A_Name")]
    [InlineData("ab")]
    public void Without_a_usable_connection_string_or_account_name_the_app_refuses_to_start(string name) =>
        Assert.Throws<InvalidOperationException>(() => StorageAccount.Connect(new StorageOptions { AccountName = name }, () => new FakeCredential()));
}
