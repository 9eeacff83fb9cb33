namespace Ttdn.App.Hosting;

public sealed class AppOptions
{
    /// <summary>The public address of the app, used in the links that emails carry.</summary>
    public string BaseUrl { get; set; } = "http://localhost:5000";

    public string PublicBaseUrl => BaseUrl.TrimEnd('/');
}
