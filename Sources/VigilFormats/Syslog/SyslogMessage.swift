import VigilBase

/// One RFC 5424 syslog message: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG`. Header fields
/// are printable US-ASCII cut to the RFC's lengths (an event's values never reach the header
/// unchecked); the message is UTF-8 behind a byte-order mark, as RFC 5424 §6.4 asks for Unicode text.
package struct SyslogMessage: Sendable {
  /// Facility codes by the names `vigil.yaml` accepts.
  package static let facilities: [String: Int] = [
    "kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5, "lpr": 6, "news": 7, "uucp": 8,
    "cron": 9, "authpriv": 10, "ftp": 11, "ntp": 12, "security": 13, "console": 14, "local0": 16, "local1": 17,
    "local2": 18, "local3": 19, "local4": 20, "local5": 21, "local6": 22, "local7": 23,
  ]

  package var facility: Int
  /// 0 (emergency) … 7 (debug).
  package var severity: Int
  package var time: Timestamp
  package var hostname: String
  package var appName: String
  package var procID: String?
  package var msgID: String?
  package var message: [UInt8]

  package init(
    facility: Int, severity: Int, time: Timestamp, hostname: String, appName: String, procID: String? = nil,
    msgID: String? = nil, message: [UInt8]
  ) {
    self.facility = facility
    self.severity = severity
    self.time = time
    self.hostname = hostname
    self.appName = appName
    self.procID = procID
    self.msgID = msgID
    self.message = message
  }

  /// The message as one datagram or TLS/TCP payload, without framing.
  package func bytes() -> [UInt8] {
    let priority = min(max(facility, 0), 23) * 8 + min(max(severity, 0), 7)
    var header = "<\(priority)>1 \(Self.time(time)) \(Self.field(hostname, 255)) \(Self.field(appName, 48)) "
    header += "\(Self.field(procID, 128)) \(Self.field(msgID, 32)) -"
    var output = Array(header.utf8)
    if !message.isEmpty {
      output.append(0x20)
      output += [0xEF, 0xBB, 0xBF]
      output += message
    }
    return output
  }

  /// Octet counting (RFC 6587 §3.4.1, RFC 5425 §4.3): `LENGTH SP MESSAGE`, for TCP and TLS.
  package func octetCounted() -> [UInt8] {
    let payload = bytes()
    return Array("\(payload.count) ".utf8) + payload
  }

  /// A header field: printable ASCII without spaces (33…126), at most `limit` characters; `-` when empty.
  package static func field(_ value: String?, _ limit: Int) -> String {
    guard let value else { return "-" }
    let kept = String(
      String.UnicodeScalarView(value.unicodeScalars.filter { (33...126).contains($0.value) }.prefix(limit)))
    return kept.isEmpty ? "-" : kept
  }

  /// RFC 3339 in UTC with microseconds (RFC 5424 allows at most six fractional digits).
  package static func time(_ time: Timestamp) -> String {
    let whole = Timestamp(seconds: time.seconds, nanoseconds: 0).rfc3339.dropLast()
    let micros = String(Int(time.nanoseconds) / 1000)
    return whole + "." + String(repeating: "0", count: 6 - micros.count) + micros + "Z"
  }
}
