import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilJSON
import VigilRuntime

/// The enrichment part of `vigil status`: each source's entries, last load and last error.
enum SourceStatusFormat {
  static func table(_ sources: [SourceStatus], configured: Bool, now: Timestamp) -> String {
    guard !sources.isEmpty else {
      return configured ? "enrichment: configured but not loaded yet (it loads when `vigil collect` starts)" : ""
    }
    var lines = [["SOURCE", "KIND", "ENTRIES", "SKIPPED", "LOADED", "REFRESHED", "ERROR"]]
    for source in sources {
      lines.append([
        source.name, source.kind, source.entries.grouped, source.skipped == 0 ? "-" : source.skipped.grouped,
        source.loadedAt.map { StatusCommand.age($0, now: now) + " ago" } ?? "never",
        source.refreshedAt.map { StatusCommand.age($0, now: now) + " ago" } ?? "-",
        source.error ?? (source.problems.first.map { "first skipped " + $0 } ?? ""),
      ])
    }
    return StatusCommand.textTable(lines)
  }

  static func json(_ sources: [SourceStatus], into writer: inout JSONWriter) {
    writer.beginArray()
    for source in sources {
      writer.beginObject()
      writer.field("name", source.name)
      writer.field("kind", source.kind)
      writer.field("location", source.location)
      writer.field("entries", source.entries)
      writer.field("skipped", source.skipped)
      writer.key("problems")
      writer.beginArray()
      for problem in source.problems { writer.string(problem) }
      writer.endArray()
      writer.field("loaded_at", source.loadedAt?.rfc3339)
      writer.field("refreshed_at", source.refreshedAt?.rfc3339)
      writer.field("checked_at", source.checkedAt.rfc3339)
      writer.field("error", source.error)
      writer.endObject()
    }
    writer.endArray()
  }
}
