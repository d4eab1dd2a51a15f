import EventsAPIModel

/// Dates on the command line: RFC 3339, or a bare day taken as midnight UTC.
enum DateArgument {
  static func parse(_ text: String) -> Timestamp? {
    Timestamp(rfc3339: text) ?? Timestamp(rfc3339: text + "T00:00:00Z")
  }
}
