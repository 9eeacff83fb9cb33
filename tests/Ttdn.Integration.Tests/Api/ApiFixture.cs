using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Api;

/// <summary>One running app with a seeded province for the API tests; each test uses its own cycle.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string Province = "ha-giang";
    public static readonly string[] Units = ["so-ngoai-vu", "xa-lung-cu", "bao-ha-giang"];

    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await TestApp.StartAsync();
        await App.SeedAsync(Province, TestApp.UnitsCsv(Units));
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}
