import ArgumentParser
import VigilBase
import VigilCore
import VigilQuery
import VigilRuntime

/// Times on the command line, read one way by every command (the query language's time words):
/// `2026-11-01`, `2026-11-01T09:30:00Z`, `now-7d`, `today`, `yesterday`, and for spans `15m`, `24h`, `7d`.
enum TimeArguments {
  static let instantForms = "2026-11-01, 2026-11-01T09:30:00Z, now-7d, 7d (back from now), today or yesterday"

  /// An instant; a bare span (`7d`) means that long ago; a day means its start.
  static func instant(_ text: String, option: String, now: Int64) throws -> Timestamp {
    let expression = text.first?.isNumber == true && !text.contains("-") && !text.contains(":") ? "now-" + text : text
    guard
      let nanoseconds = TimeExpression.range(expression, now: now)?.from ?? TimeExpression.instant(expression, now: now)
    else {
      throw ValidationError("\(option) expects a time such as \(instantForms), not '\(text)'")
    }
    return FieldValue.timestamp(nanoseconds: nanoseconds)
  }

  /// The range from `--from/--to/--last`.
  static func range(from: String?, to: String?, last: String?, now: Int64) throws -> TimeRange {
    var range = TimeRange.all
    if let last {
      guard let parsed = TimeExpression.range(last.hasPrefix("last ") ? last : "last " + last, now: now) else {
        throw ValidationError("--last expects a span such as 15m, 24h, 7d or 4w, not '\(last)'")
      }
      range = parsed
    }
    if let from { range.from = FieldValue.nanoseconds(try instant(from, option: "--from", now: now)) }
    if let to {
      guard let end = TimeExpression.instant(to, now: now) else {
        throw ValidationError("--to expects a time such as 2026-11-08, 2026-11-08T00:00:00Z or now-1h, not '\(to)'")
      }
      range.to = end
    }
    return range
  }
}
