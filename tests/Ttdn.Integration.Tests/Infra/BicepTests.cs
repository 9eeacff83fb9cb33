using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Ttdn.Integration.Tests.Infrastructure;
using Ttdn.Integration.Tests.Workflow;

namespace Ttdn.Integration.Tests.Infra;

/// <summary>
/// Every Bicep file under infra/ compiles and lints with the Bicep CLI from NuGet without a single
/// diagnostic (infra/bicepconfig.json turns every offline rule on), every parameters file builds,
/// and the compiled template declares what the program needs on Azure.
/// </summary>
// In the seconds-long cycles' collection: the CLI takes both cores for a few seconds, and those tests' schedules must not starve.
[Collection(WorkflowCollection.Name)]
public sealed class BicepTests
{
    private static readonly string Infra = Path.Combine(Azurite.RepositoryRoot, "infra");

    /// <summary>One build of every .bicep file, shared by the tests: the CLI's exit code and output, and the compiled templates.</summary>
    private static readonly Lazy<Task<Compiled>> Build = new(async () =>
    {
        var outdir = Directory.CreateTempSubdirectory("ttdn-bicep-").FullName;
        try
        {
            var (code, output) = await RunAsync("build", "--pattern", "**/*.bicep", "--no-restore", "--outdir", outdir);
            var templates = Files(outdir, "*.json").ToDictionary(f => f, f => JsonNode.Parse(File.ReadAllText(Path.Combine(outdir, f)))!.AsObject());
            return new Compiled(code, output, templates);
        }
        finally
        {
            Directory.Delete(outdir, recursive: true);
        }
    });

    private sealed record Compiled(int Code, string Output, IReadOnlyDictionary<string, JsonObject> Templates);

    private static async Task<JsonObject> MainTemplateAsync()
    {
        var build = await Build.Value;
        Assert.True(build.Code == 0, $"bicep build (exit {build.Code}):\n{build.Output}");
        return build.Templates["main.json"];
    }

    private static string BicepPath =>
        typeof(BicepTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;

    /// <summary>Runs the Bicep CLI in infra/ (where bicepconfig.json is); exit code and everything it printed.</summary>
    private static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        Assert.True(File.Exists(BicepPath), $"The Bicep CLI is not at {BicepPath}; restore the test project (package Azure.Bicep.CommandLine.linux-x64).");
        var start = new ProcessStartInfo(BicepPath)
        {
            WorkingDirectory = Infra,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        // No telemetry, no update checks: the CLI runs offline.
        start.Environment["BICEP_TRACING_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, ((await stdout) + (await stderr)).Trim());
    }

    [Fact]
    public async Task Every_bicep_file_builds_and_lints_without_a_warning()
    {
        var files = Files(Infra, "*.bicep").ToList();
        Assert.Contains("main.bicep", files);
        Assert.Contains(files, f => f.StartsWith("modules", StringComparison.Ordinal));

        var build = await Build.Value;
        Assert.True(build.Code == 0 && build.Output.Length == 0, $"bicep build (exit {build.Code}):\n{build.Output}");
        // One compiled template per file: the pattern missed none.
        Assert.Equal(files.Select(f => Path.ChangeExtension(f, ".json")), build.Templates.Keys.Order());

        var lint = await RunAsync("lint", "--pattern", "**/*.bicep", "--no-restore");
        Assert.True(lint.Code == 0 && lint.Output.Length == 0, $"bicep lint (exit {lint.Code}):\n{lint.Output}");
    }

    [Fact]
    public async Task There_is_a_parameters_file_per_environment_and_each_builds_and_lints_without_a_warning()
    {
        Assert.Equal(["main.dev.bicepparam", "main.prod.bicepparam"], Files(Infra, "*.bicepparam"));
        var lint = await RunAsync("lint", "--pattern", "*.bicepparam", "--no-restore");
        Assert.True(lint.Code == 0 && lint.Output.Length == 0, $"bicep lint *.bicepparam (exit {lint.Code}):\n{lint.Output}");

        var outdir = Directory.CreateTempSubdirectory("ttdn-bicep-").FullName;
        try
        {
            var build = await RunAsync("build-params", "--pattern", "*.bicepparam", "--no-restore", "--outdir", outdir);
            Assert.True(build.Code == 0 && build.Output.Length == 0, $"bicep build-params (exit {build.Code}):\n{build.Output}");
            foreach (var environment in new[] { "dev", "prod" })
            {
                var parameters = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outdir, $"main.{environment}.json")))!["parameters"]!;
                Assert.Equal(environment, parameters["environmentName"]!["value"]!.GetValue<string>());
                // Secrets are not in the files: without the environment variables they stay empty, and the vault keeps its values.
                Assert.Equal("", parameters["sendGridApiKey"]!["value"]!.GetValue<string>());
                Assert.Equal("", parameters["tokenSecret"]!["value"]!.GetValue<string>());
            }
        }
        finally
        {
            Directory.Delete(outdir, recursive: true);
        }
    }

    [Fact]
    public async Task The_app_gets_every_setting_the_program_reads_with_secrets_from_Key_Vault()
    {
        var resources = AllResources(await MainTemplateAsync());
        var settings = Assert.Single(resources, r => Type(r) == "Microsoft.Web/sites/config" && Name(r).Contains("'appsettings'", StringComparison.Ordinal))["properties"]!.AsObject();

        string[] expected =
        [
            "TaskHubName", "DurableStorage__blobServiceUri", "DurableStorage__queueServiceUri", "DurableStorage__tableServiceUri", "Storage__AccountName", "Storage__queueServiceUri", "Storage__tableServiceUri", "Storage__blobServiceUri",
            "AzureWebJobsStorage__accountName", "App__BaseUrl", "Admin__Auth", "Email__Transport", "Email__From", "Email__SendGrid__ApiKey",
            "Email__SendGrid__WebhookPublicKey", "Tokens__Secret", "APPLICATIONINSIGHTS_CONNECTION_STRING",
        ];
        Assert.Empty(expected.Except(settings.Select(s => s.Key)));
        // host.json names the hub and the task hub's connection by these settings.
        Assert.Equal("ttdn", Text(settings["TaskHubName"]));
        Assert.Contains("primaryEndpoints.queue", Text(settings["DurableStorage__queueServiceUri"]));
        Assert.Equal("Entra", Text(settings["Admin__Auth"]));
        Assert.Equal("sendgrid", Text(settings["Email__Transport"]));
        Assert.Contains("https://", Text(settings["App__BaseUrl"]));
        Assert.Contains("@Microsoft.KeyVault(SecretUri=", Text(settings["Email__SendGrid__ApiKey"]));
        Assert.Contains("@Microsoft.KeyVault(SecretUri=", Text(settings["Tokens__Secret"]));
        // Flex Consumption takes the runtime from functionAppConfig and refuses these as settings; no key or connection string either.
        Assert.DoesNotContain(settings, s => s.Key is "FUNCTIONS_WORKER_RUNTIME" or "FUNCTIONS_EXTENSION_VERSION" or "AzureWebJobsStorage" or "Storage__ConnectionString");
        Assert.DoesNotContain(settings, s => Text(s.Value).Contains("AccountKey", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_app_runs_as_a_dotnet_isolated_worker_on_Flex_Consumption_with_its_own_identity()
    {
        var resources = AllResources(await MainTemplateAsync());
        var plan = Assert.Single(resources, r => Type(r) == "Microsoft.Web/serverfarms");
        Assert.Equal("FC1", Text(plan["sku"]!["name"]));
        Assert.Equal("FlexConsumption", Text(plan["sku"]!["tier"]));

        var site = Assert.Single(resources, r => Type(r) == "Microsoft.Web/sites" && r["existing"] is null);
        Assert.Equal("functionapp,linux", Text(site["kind"]));
        Assert.Equal("SystemAssigned", Text(site["identity"]!["type"]));
        var config = site["properties"]!["functionAppConfig"]!;
        Assert.Equal("dotnet-isolated", Text(config["runtime"]!["name"]));
        Assert.Equal("10.0", Text(config["runtime"]!["version"]));
        Assert.Equal("blobContainer", Text(config["deployment"]!["storage"]!["type"]));
        Assert.Equal("SystemAssignedIdentity", Text(config["deployment"]!["storage"]!["authentication"]!["type"]));
        Assert.NotNull(config["scaleAndConcurrency"]!["maximumInstanceCount"]);

        var auth = Assert.Single(resources, r => Type(r) == "Microsoft.Web/sites/config" && Name(r).Contains("'authsettingsV2'", StringComparison.Ordinal))["properties"]!;
        Assert.True(auth["platform"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("AllowAnonymous", Text(auth["globalValidation"]!["unauthenticatedClientAction"]));
        Assert.True(auth["identityProviders"]!["azureActiveDirectory"]!["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Storage_takes_no_shared_keys_and_the_identity_has_data_roles_and_Key_Vault_uses_RBAC()
    {
        var resources = AllResources(await MainTemplateAsync());
        var storage = Assert.Single(resources, r => Type(r) == "Microsoft.Storage/storageAccounts" && r["existing"] is null)["properties"]!;
        Assert.False(storage["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.Equal("TLS1_2", Text(storage["minimumTlsVersion"]));
        Assert.False(storage["allowBlobPublicAccess"]!.GetValue<bool>());
        Assert.Single(resources, r => Type(r) == "Microsoft.Storage/storageAccounts/blobServices/containers");

        var vault = Assert.Single(resources, r => Type(r) == "Microsoft.KeyVault/vaults" && r["existing"] is null)["properties"]!;
        Assert.True(vault["enableRbacAuthorization"]!.GetValue<bool>());
        Assert.Null(vault["accessPolicies"]);

        // Storage Blob Data Owner, Queue Data Contributor, Table Data Contributor, Key Vault Secrets User.
        // A loop over the three storage roles, and the vault's; the role ids are the access module's variables.
        Assert.Equal(2, resources.Count(r => Type(r) == "Microsoft.Authorization/roleAssignments"));
        var access = resources.Single(r => Type(r) == "Microsoft.Resources/deployments" && Name(r).Contains("'access'", StringComparison.Ordinal)).ToJsonString();
        foreach (var role in new[] { "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "4633458b-17de-408a-b874-0445c86b69e6" })
            Assert.Contains(role, access);

        var outputs = (await MainTemplateAsync())["outputs"]!.AsObject().Select(o => o.Key).ToList();
        Assert.Empty(new[] { "appName", "appUrl", "storageAccountName" }.Except(outputs));
    }

    private static IEnumerable<string> Files(string directory, string pattern) =>
        Directory.EnumerateFiles(directory, pattern, SearchOption.AllDirectories).Select(f => Path.GetRelativePath(directory, f)).Order();

    /// <summary>Every resource of the template and of the modules' nested templates (resources are an array, or an object in language version 2.0).</summary>
    private static List<JsonObject> AllResources(JsonObject template)
    {
        var all = new List<JsonObject>();
        var resources = template["resources"] switch
        {
            JsonArray array => array.Select(r => r!.AsObject()),
            JsonObject map => map.Select(r => r.Value!.AsObject()),
            _ => [],
        };
        foreach (var r in resources)
        {
            all.Add(r);
            if (Type(r) == "Microsoft.Resources/deployments" && r["properties"]?["template"] is JsonObject nested)
                all.AddRange(AllResources(nested));
        }
        return all;
    }

    private static string Type(JsonObject r) => Text(r["type"]);
    private static string Name(JsonObject r) => Text(r["name"]);
    private static string Text(JsonNode? node) => node?.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : node?.ToJsonString() ?? "";
}
