namespace Ttdn.App.Hosting;

public enum HostingMode
{
    /// <summary>The app runs alone: in-process pumps poll the queue and run the sweep.</summary>
    Standalone,
    /// <summary>The Azure Functions host runs the app as a custom handler and delivers triggers to it.</summary>
    Functions,
}

public sealed class AppOptions
{
    /// <summary>The public address of the app, used in the links that emails carry.</summary>
    public string BaseUrl { get; set; } = "http://localhost:5000";

    public string PublicBaseUrl => BaseUrl.TrimEnd('/');
}

public sealed class HostingOptions
{
    public HostingMode Mode { get; set; } = HostingMode.Standalone;
}
