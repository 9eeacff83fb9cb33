using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;

namespace Ttdn.App.Reports;

/// <summary>
/// Writes a WordprocessingML package entry by entry into a <see cref="ZipArchive"/> in create mode,
/// so the document part can be streamed with an <see cref="XmlWriter"/> straight to the output
/// (which need not seek). The SDK's <c>WordprocessingDocument</c> would hold every part in memory
/// until it is saved, and the annex of a large province runs to tens of megabytes of XML.
/// Parts that must exist before the document refers to them (styles, headers, images) are added
/// first; the relationships and content types are written last, when all parts are known.
/// </summary>
public sealed class DocxPackage : IDisposable
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    private const string Rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    private readonly ZipArchive _zip;
    private readonly List<(string Id, string Type, string Target)> _documentRels = [];
    private readonly List<(string Part, string Type)> _overrides = [];
    private readonly HashSet<string> _extensions = new(StringComparer.Ordinal);

    public DocxPackage(Stream output) => _zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);

    /// <summary>Adds a part the document refers to (styles, settings, a header) from an SDK element; returns its relationship id.</summary>
    public string AddPart(string name, string contentType, string relationshipType, OpenXmlElement root)
    {
        Write($"word/{name}", root.OuterXml);
        _overrides.Add(($"/word/{name}", contentType));
        return AddRelationship(relationshipType, name);
    }

    /// <summary>Adds an image the document refers to; returns its relationship id.</summary>
    public string AddImage(string name, byte[] content)
    {
        using (var stream = _zip.CreateEntry($"word/media/{name}", CompressionLevel.NoCompression).Open())
            stream.Write(content);
        _extensions.Add(Path.GetExtension(name).TrimStart('.'));
        return AddRelationship($"{Rel}/image", $"media/{name}");
    }

    /// <summary>Streams the main document part; call once, after every part it refers to was added.</summary>
    public void WriteDocument(Action<XmlWriter> write)
    {
        using (var stream = _zip.CreateEntry("word/document.xml", CompressionLevel.Optimal).Open())
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), CloseOutput = false }))
        {
            writer.WriteStartDocument(standalone: true);
            write(writer);
            writer.WriteEndDocument();
        }
        _overrides.Add(("/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"));
    }

    public void WriteCoreProperties(string title, string subject, string description, string creator, string category, string identifier, string version)
    {
        static string E(string s) => SecurityElement.Escape(XmlText.Clean(s));
        Write("docProps/core.xml",
            $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{E(title)}</dc:title><dc:subject>{E(subject)}</dc:subject><dc:creator>{E(creator)}</dc:creator><dc:description>{E(description)}</dc:description><dc:identifier>{E(identifier)}</dc:identifier><dc:language>vi-VN</dc:language><cp:category>{E(category)}</cp:category><cp:version>{E(version)}</cp:version></cp:coreProperties>""");
        _overrides.Add(("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"));
    }

    public void Dispose()
    {
        var rels = new StringBuilder("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">""");
        foreach (var (id, type, target) in _documentRels)
            rels.Append(CultureInfo.InvariantCulture, $"""<Relationship Id="{id}" Type="{type}" Target="{target}"/>""");
        Write("word/_rels/document.xml.rels", rels.Append("</Relationships>").ToString());

        Write("_rels/.rels",
            """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>""");

        var types = new StringBuilder("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>""");
        foreach (var extension in _extensions)
            types.Append(CultureInfo.InvariantCulture, $"""<Default Extension="{extension}" ContentType="image/{extension}"/>""");
        foreach (var (part, type) in _overrides)
            types.Append(CultureInfo.InvariantCulture, $"""<Override PartName="{part}" ContentType="{type}"/>""");
        Write("[Content_Types].xml", types.Append("</Types>").ToString());
        _zip.Dispose();
    }

    private string AddRelationship(string type, string target)
    {
        var id = $"rId{(_documentRels.Count + 1).ToString(CultureInfo.InvariantCulture)}";
        _documentRels.Add((id, type, target));
        return id;
    }

    private void Write(string name, string xml)
    {
        using var stream = _zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        if (!xml.StartsWith("<?xml", StringComparison.Ordinal))
            writer.Write("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>""");
        writer.Write(xml);
    }
}
