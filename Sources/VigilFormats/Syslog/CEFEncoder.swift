import VigilBase
import VigilCore
import VigilEventsAPIModel

/// ArcSight Common Event Format, one event per line:
/// `CEF:0|1Password|Events API|1.0|SIGNATURE|NAME|SEVERITY|EXTENSION`.
///
/// Escaping follows the CEF specification: in the header `\` and `|` are escaped; in the extension
/// `\`, `=` and line breaks (`\n`, `\r`). Every event value is attacker-controlled, so each is
/// escaped and cut to 1023 characters (the common string length in ArcSight's dictionary), and other
/// control characters are dropped.
package struct CEFEncoder: EventEncoder {
  package static let valueLimit = 1023

  package init() {}

  package func header() -> [UInt8] { [] }

  package func encode(_ event: CanonicalEvent, into output: inout [UInt8]) {
    output += Array(line(event).utf8)
    output.append(UInt8(ascii: "\n"))
  }

  /// The CEF line of one event, without a line ending.
  package func line(_ event: CanonicalEvent) -> String {
    let signature = "\(event.stream.rawValue):\(event.action ?? "unknown")"
    let header = [
      "CEF:0", "1Password", "Events API", "1.0", Self.escapeHeader(signature), Self.escapeHeader(Self.name(event)),
      String(Self.severity(event)),
    ]
    let pairs = extensionPairs(event).map { "\($0.key)=\(Self.escapeValue($0.value))" }
    return header.joined(separator: "|") + "|" + pairs.joined(separator: " ")
  }

  /// Extension keys from ArcSight's dictionary; `cs1`…`cs5` carry what it has no key for, each labelled.
  func extensionPairs(_ event: CanonicalEvent) -> [(key: String, value: String)] {
    var pairs: [(key: String, value: String)] = []
    func add(_ key: String, _ value: String?) {
      if let value, !value.isEmpty { pairs.append((key, value)) }
    }
    add("rt", Self.milliseconds(event.time))
    add("externalId", event.uuid)
    add("cat", event.stream.rawValue)
    add("act", event.action)
    add("outcome", event.outcome?.rawValue)
    add("reason", event.type)
    add("suser", event.user.email ?? event.user.name)
    add("suid", event.user.id)
    add("sntdom", event.account)
    if let ip = event.sourceIP { add(ip.contains(":") ? "c6a2" : "src", ip) }
    if event.stream == .auditEvents {
      add("duser", event.target.type == "user" ? event.target.email ?? event.target.name : event.aux.email)
      add("duid", event.target.type == "user" ? event.target.id : event.aux.uuid)
    }
    add("requestClientApplication", event.client.app)
    var custom = 0
    func addCustom(_ label: String, _ value: String?) {
      guard let value, !value.isEmpty, custom < 5 else { return }
      custom += 1
      pairs.append(("cs\(custom)", value))
      pairs.append(("cs\(custom)Label", label))
    }
    addCustom("country", event.geo.countryCode)
    addCustom("city", event.geo.city)
    switch event.stream {
    case .signInAttempts: addCustom("details", event.details)
    case .itemUsages:
      addCustom("vault", event.vaultID)
      addCustom("item", event.itemID)
    case .auditEvents:
      addCustom("objectType", event.target.type)
      addCustom("objectId", event.target.id)
    }
    if let threat = event.enrichment.threat { addCustom("threatFeeds", threat.feeds.joined(separator: ",")) }
    add("msg", Self.name(event))
    return pairs
  }

  static func name(_ event: CanonicalEvent) -> String {
    switch event.stream {
    case .signInAttempts: "Sign-in attempt: \(event.action ?? "unknown")"
    case .itemUsages: "Item usage: \(event.action ?? "unknown")"
    case .auditEvents: "Audit event: \(event.action ?? "unknown")"
    }
  }

  /// 0–10: failed sign-ins and threat matches stand out, routine use is low.
  static func severity(_ event: CanonicalEvent) -> Int {
    if event.enrichment.threat != nil { return 8 }
    switch event.stream {
    case .signInAttempts: return event.outcome == .failure ? 5 : 2
    case .itemUsages: return 2
    case .auditEvents: return 3
    }
  }

  /// CEF times: milliseconds since the epoch.
  static func milliseconds(_ time: Timestamp) -> String {
    String(time.seconds * 1000 + Int64(time.nanoseconds / 1_000_000))
  }

  static func escapeHeader(_ value: String) -> String {
    var output = ""
    for scalar in bounded(value).unicodeScalars {
      switch scalar {
      case "\\": output += "\\\\"
      case "|": output += "\\|"
      case "\n", "\r": output += " "
      default: if !isControl(scalar) { output.unicodeScalars.append(scalar) }
      }
    }
    return output
  }

  static func escapeValue(_ value: String) -> String {
    var output = ""
    for scalar in bounded(value).unicodeScalars {
      switch scalar {
      case "\\": output += "\\\\"
      case "=": output += "\\="
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      default: if !isControl(scalar) { output.unicodeScalars.append(scalar) }
      }
    }
    return output
  }

  private static func bounded(_ value: String) -> String {
    value.unicodeScalars.count <= valueLimit
      ? value : String(String.UnicodeScalarView(value.unicodeScalars.prefix(valueLimit)))
  }

  private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
  }
}
