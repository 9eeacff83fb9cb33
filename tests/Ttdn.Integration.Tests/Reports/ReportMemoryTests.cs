using System.IO.Compression;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Ttdn.App.Reports;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Reports;
using Ttdn.Domain.Requests;
using Ttdn.Domain.Submissions;
using Ttdn.Domain.Units;

namespace Ttdn.Integration.Tests.Reports;

/// <summary>
/// A province of 2,000 units through both writers. The writers stream, so the live heap while
/// they write stays far below the size of what they write: a writer that built the workbook or
/// the document as an object tree would hold tens of megabytes per thousand units.
/// The heap is the process's, so these run alone, after the tests that run in parallel.
/// </summary>
[Collection(MemoryCollection.Name)]
public sealed class ReportMemoryTests
{
    private const int UnitCount = 2000;

    /// <summary>Generous: streaming needs a few MB of buffers; an object tree of 2,000 units needs ten times this.</summary>
    private const long LiveHeapBound = 16L * 1024 * 1024;

    private static ConsolidatedReport Synthetic(int count)
    {
        var due = new DateTimeOffset(2026, 5, 25, 17, 0, 0, TimeSpan.FromHours(7));
        var units = Enumerable.Range(1, count).Select(i =>
        {
            var id = $"u{i:D5}";
            var unit = new Unit(id, $"Đơn vị thử nghiệm số {i} (xã, phường, đặc khu)", UnitGroups.All[i % UnitGroups.All.Count], $"{id}@example.vn", $"h{id}@example.vn");
            if (i % 10 == 0) return new UnitReport(unit, new RequestState(id, RequestStatus.Missed), null);
            var late = i % 7 == 0;
            var request = new RequestState(id, late ? RequestStatus.SubmittedLate : RequestStatus.Submitted, SubmittedAt: due.AddHours(late ? i % 48 : -(i % 48)), Late: late, Versions: 1);
            var figures = Catalogue.Default.Indicators.ToDictionary(ind => ind.Code, ind => ind.Kind switch
            {
                IndicatorKind.YesNo => (decimal)(i % 2),
                IndicatorKind.Amount => i % 97 + 0.5m,
                _ => (decimal)(i % 13),
            });
            var sections = Catalogue.Default.Sections.ToDictionary(s => s.Code, s => $"Ý kiến của đơn vị {i} về {s.Title.ToLowerInvariant()}: " + new string('x', 200));
            return new UnitReport(unit, request, new SubmissionValues(figures, sections), i % 3 == 0 ? $"bao-cao-{id}.pdf" : null);
        }).ToList();
        Assert.True(Period.TryParse("2026-H1", out var period));
        var aggregates = Aggregation.Compute(Catalogue.Default, units);
        var narratives = ConsolidatedReport.CollectNarratives(Catalogue.Default,
            units.Where(u => u.Latest is not null && u.Request.HasSubmitted).Select(u => (u.Unit, u.Latest!)));
        return new ConsolidatedReport(
            new Province("p", "Sở Văn hóa, Thể thao và Du lịch", "UBND tỉnh Thử Nghiệm", "Thử Nghiệm", new Contact("Phòng TTĐN", "ttdn@example.vn")),
            "2026-H1", period, due, new DateOnly(2026, 6, 1), 1, Catalogue.Default, aggregates, narratives);
    }

    [Fact]
    public void Two_thousand_units_stream_through_the_XLSX_writer_in_bounded_memory()
    {
        var report = Synthetic(UnitCount);
        var sink = new SamplingStream();
        sink.StartSampling();
        ReportWorkbook.Write(sink, report);

        Assert.True(sink.Samples >= 5, $"only {sink.Samples} samples");
        Assert.True(sink.PeakGrowth < LiveHeapBound, $"live heap grew by {sink.PeakGrowth / 1024 / 1024} MB while writing");

        // What was streamed is the whole workbook: every unit, and a sheet far larger than the bound.
        using var doc = SpreadsheetDocument.Open(new MemoryStream(sink.Written.ToArray()), false);
        var figures = doc.WorkbookPart!.Workbook!.Sheets!.Elements<Sheet>().Single(s => s.Name == ReportWorkbook.FiguresSheet);
        Assert.Equal(UnitCount + 2, ((WorksheetPart)doc.WorkbookPart.GetPartById(figures.Id!.Value!)).Worksheet!.Descendants<Row>().Count());
        using var zip = new ZipArchive(new MemoryStream(sink.Written.ToArray()), ZipArchiveMode.Read);
        Assert.True(zip.Entries.Sum(e => e.Length) > 4L * 1024 * 1024);
    }

    [Fact]
    public void Two_thousand_units_stream_through_the_DOCX_writer_in_bounded_memory()
    {
        var report = Synthetic(UnitCount);
        var sink = new SamplingStream();
        sink.StartSampling();
        ReportDocument.Write(sink, report);

        Assert.True(sink.Samples >= 5, $"only {sink.Samples} samples");
        Assert.True(sink.PeakGrowth < LiveHeapBound, $"live heap grew by {sink.PeakGrowth / 1024 / 1024} MB while writing");

        // Read back with a reader, not the object model, which would itself hold the whole document.
        using var zip = new ZipArchive(new MemoryStream(sink.Written.ToArray()), ZipArchiveMode.Read);
        var document = zip.GetEntry("word/document.xml")!;
        var rows = 0;
        using (var reader = System.Xml.XmlReader.Create(document.Open()))
            while (reader.Read())
                if (reader is { NodeType: System.Xml.XmlNodeType.Element, LocalName: "tr" }) rows++;
        // The status of every unit, and the figures of the 1,800 that reported, in two tables.
        Assert.True(rows > UnitCount + 2 * 1800, $"{rows} table rows");
        Assert.True(document.Length > 2 * sink.PeakGrowth, $"document.xml is {document.Length / 1024} KB, the writer held {sink.PeakGrowth / 1024} KB");
        Assert.NotNull(zip.GetEntry("word/media/reporting-rates.png"));
    }

    /// <summary>
    /// A write-only, non-seekable stream (as a blob upload stream is) that keeps what it is given
    /// in a copy outside the measured heap and samples the live managed heap every few writes.
    /// </summary>
    private sealed class SamplingStream : Stream
    {
        private long _baseline;
        private int _writes;
        private bool _sampling;

        public MemoryStream Written { get; } = new();
        public long PeakGrowth { get; private set; }
        public int Samples { get; private set; }

        public void StartSampling()
        {
            _baseline = GC.GetTotalMemory(forceFullCollection: true);
            _sampling = true;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_sampling && ++_writes % 8 == 0)
            {
                // The copy of the output grows with it by design; leave it out of the measure.
                var live = GC.GetTotalMemory(forceFullCollection: true) - _baseline - Written.Capacity;
                PeakGrowth = Math.Max(PeakGrowth, live);
                Samples++;
            }
            Written.Write(buffer);
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

/// <summary>Measures the whole process's heap, so nothing else may run meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection
{
    public const string Name = "memory measurements";
}
