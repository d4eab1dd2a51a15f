import Testing
import VigilTestSupport

/// Compares a pull with the ground truth and reports counts (never thousands of uuids).
func expectExact(
  _ received: [String], _ truth: [String], _ label: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  let got = Set(received)
  let want = Set(truth)
  #expect(
    received.count == got.count, "\(label): \(received.count - got.count) duplicates", sourceLocation: sourceLocation)
  #expect(
    got == want,
    "\(label): \(want.subtracting(got).count) missing, \(got.subtracting(want).count) unexpected of \(want.count)",
    sourceLocation: sourceLocation)
}

/// Same, tolerating duplicates (for paths where the consumer's dedupe absorbs an overlap).
func expectComplete(
  _ received: [String], _ truth: [String], _ label: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  let got = Set(received)
  let want = Set(truth)
  #expect(
    got == want,
    "\(label): \(want.subtracting(got).count) missing, \(got.subtracting(want).count) unexpected of \(want.count)",
    sourceLocation: sourceLocation)
}
