using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Ttdn.App.Reports.Charts;

/// <summary>
/// A minimal PNG encoder (8-bit RGB, no interlace) on the framework's zlib: all the charts need,
/// without a native imaging library to deploy.
/// </summary>
public static class Png
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    public static byte[] Encode(byte[] rgb, int width, int height, int dpi)
    {
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;  // bit depth
        header[9] = 2;  // colour type: RGB
        Chunk(output, "IHDR", header);

        // Physical size, so a viewer shows the chart at the size the DOCX gives it.
        var perMetre = (int)Math.Round(dpi / 0.0254);
        var phys = new byte[9];
        BinaryPrimitives.WriteInt32BigEndian(phys, perMetre);
        BinaryPrimitives.WriteInt32BigEndian(phys.AsSpan(4), perMetre);
        phys[8] = 1;
        Chunk(output, "pHYs", phys);

        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                var row = new byte[width * 3 + 1];
                for (var y = 0; y < height; y++)
                {
                    // Filter "Sub": charts are flat colour, so differences compress far better.
                    row[0] = 1;
                    var offset = y * width * 3;
                    for (var i = 0; i < width * 3; i++)
                        row[i + 1] = (byte)(rgb[offset + i] - (i >= 3 ? rgb[offset + i - 3] : 0));
                    zlib.Write(row);
                }
            }
            Chunk(output, "IDAT", compressed.ToArray());
        }
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        var crc = Crc(Crc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }

    private static uint Crc(uint crc, byte[] data)
    {
        foreach (var b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
