using System.Xml.Linq;
using Azure;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Ttdn.App.Hosting;

/// <summary>
/// The data-protection key ring in Blob Storage, one blob per key. Anti-forgery tokens are
/// protected with these keys, so every instance of the app (Functions scales out, restarts at
/// will) must share them, or a form opened on one instance is refused by another. The keys sit in
/// the app's private storage account, encrypted at rest there.
/// </summary>
public sealed class BlobKeyRepository(BlobContainerClient container) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var elements = new List<XElement>();
        try
        {
            foreach (var item in container.GetBlobs())
                elements.Add(XElement.Parse(container.GetBlobClient(item.Name).DownloadContent().Value.Content.ToString()));
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // The container is created at start-up; before that there are no keys.
        }
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        container.CreateIfNotExists();
        var name = $"{(string.IsNullOrWhiteSpace(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName)}.xml";
        container.GetBlobClient(name).Upload(BinaryData.FromString(element.ToString(SaveOptions.DisableFormatting)), overwrite: true);
    }
}
