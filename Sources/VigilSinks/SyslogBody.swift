import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilFormats

/// What a syslog message carries: one JSON document (raw, ECS or OCSF) or a CEF line.
package enum SyslogBody: Sendable, Hashable {
  case json(ExportFormat)
  case cef

  /// The RFC 5424 message of one event: the event's time, a severity from the event (failures and
  /// threat matches: warning; the rest: informational), the stream as MSGID.
  package static func message(
    _ event: CanonicalEvent, body: SyslogBody, facility: Int, hostname: String, appName: String
  ) -> SyslogMessage {
    var bytes: [UInt8] = []
    switch body {
    case .json(let format): format.encoder.encode(event, into: &bytes)
    case .cef: CEFEncoder().encode(event, into: &bytes)
    }
    if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
    let warning = event.outcome == .failure || event.enrichment.threat != nil
    return SyslogMessage(
      facility: facility, severity: warning ? 4 : 6, time: event.time, hostname: hostname, appName: appName,
      msgID: event.stream.rawValue, message: bytes)
  }
}
