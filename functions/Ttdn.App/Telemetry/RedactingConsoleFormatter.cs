using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Ttdn.App.Telemetry;

/// <summary>
/// The console log, one line per entry, with link tokens redacted. On Azure the Functions host forwards
/// the handler's console to its own logs, so the console is as public as any exporter.
/// </summary>
public sealed class RedactingConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "ttdn";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null) return;
        var level = logEntry.LogLevel switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
        var line = $"{DateTime.Now:HH:mm:ss} {level}: {logEntry.Category}[{logEntry.EventId.Id}] {message}";
        if (logEntry.Exception is not null) line += Environment.NewLine + logEntry.Exception;
        textWriter.WriteLine(Redaction.Redact(line));
    }
}
