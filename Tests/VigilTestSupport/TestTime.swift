import VigilBase

extension Timestamp {
  /// A fixed instant written in a test. A typo stops the test at once instead of quietly becoming
  /// the epoch (which would make time-window assertions pass or fail for the wrong reason).
  package static func fixture(_ text: String, file: StaticString = #file, line: UInt = #line) -> Timestamp {
    guard let time = Timestamp(rfc3339: text) ?? Timestamp(rfc3339: text + "T00:00:00Z") else {
      preconditionFailure("not an RFC 3339 time in a test fixture: \(text)", file: file, line: line)
    }
    return time
  }
}
