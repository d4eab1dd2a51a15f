import VigilBase
import VigilJSON

/// The message of an error response. The API has used `{"Error":{"Message":"…"}}` (spec),
/// `{"status":401,"message":"…"}` (1.4.1 reference) and plain text (`404 page not found`).
package enum ErrorBody {
  /// Longest message kept from a body, so a hostile or broken server cannot flood logs.
  package static let maximumLength = 300

  package static func message(from body: [UInt8]) -> String? {
    if let document = try? JSONDocument(bytes: body), document.root.kind == .object {
      let root = document.root
      if let message = root["Error"]?["Message"]?.string ?? root["message"]?.string ?? root["error"]?.string {
        return bounded(message)
      }
      if let message = root["error"]?["message"]?.string { return bounded(message) }
      return nil
    }
    let text = String(decoding: body.prefix(maximumLength * 4), as: UTF8.self)
      .trimmingWhitespace
    return text.isEmpty ? nil : bounded(text)
  }

  private static func bounded(_ text: String) -> String {
    // Line breaks and tabs read as spaces in a one-line message; every other control is made visible.
    let printable = Printable.text(
      String(String.UnicodeScalarView(text.unicodeScalars.map { "\n\r\t".unicodeScalars.contains($0) ? " " : $0 })))
    return printable.count > maximumLength ? String(printable.prefix(maximumLength)) + "…" : printable
  }
}
