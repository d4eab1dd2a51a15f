import VigilBase
import VigilJSON

extension AlertRecord {
  /// An alert as JSON, the one shape the web API returns and sinks forward: id, rule, title, severity,
  /// handling, the group by field name, the evidence window and events, and when it changed.
  package func write(into writer: inout JSONWriter) {
    writer.beginObject()
    writer.field("id", id)
    writer.field("rule", rule)
    writer.field("title", title)
    writer.field("severity", severity.rawValue)
    writer.field("status", status.rawValue)
    writer.field("status_by", statusBy)
    writer.field("status_note", statusNote)
    writer.key("group")
    writer.beginObject()
    for (field, value) in zip(groupFields, group) {
      writer.key(field)
      writer.string(value)
    }
    writer.endObject()
    writer.field("first", FieldValue.timestamp(nanoseconds: first).rfc3339)
    writer.field("last", FieldValue.timestamp(nanoseconds: last).rfc3339)
    writer.field("count", count)
    writer.key("evidence")
    writer.beginArray()
    for item in evidence {
      writer.beginObject()
      writer.key("sequence")
      writer.int(Int(item.sequence))
      writer.key("uuid")
      writer.string(item.uuid)
      writer.endObject()
    }
    writer.endArray()
    writer.field("created_at", createdAt.rfc3339)
    writer.field("updated_at", updatedAt.rfc3339)
    writer.endObject()
  }

  /// The alert's JSON document.
  package var json: [UInt8] {
    var writer = JSONWriter(capacity: 512 + evidence.count * 64)
    write(into: &writer)
    return writer.bytes
  }

  /// The account the alert concerns (the first group value).
  package var account: String { group.first ?? "" }
}
