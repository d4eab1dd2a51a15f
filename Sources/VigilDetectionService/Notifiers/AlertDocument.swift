import Foundation
import VigilBase
import VigilCore

/// An alert as JSON for receivers (the webhook's `alert`, PagerDuty's custom details).
struct AlertDocument: Encodable, Sendable {
  struct Evidence: Encodable, Sendable {
    var sequence: Int64
    var uuid: String
  }

  var id: String
  var rule: String
  var title: String
  var severity: String
  var status: String
  var group: [String: String]
  var firstTime: String
  var lastTime: String
  var count: Int
  /// At most ``evidenceLimit`` events; `evidenceTotal` says how many the alert holds.
  var evidence: [Evidence]
  var evidenceTotal: Int
  var createdAt: String

  static let evidenceLimit = 100

  init(_ alert: AlertRecord) {
    id = alert.id
    rule = alert.rule
    title = alert.title
    severity = alert.severity.rawValue
    status = alert.status.rawValue
    group = Dictionary(
      AlertWording.group(alert).map { ($0.field, String($0.value.prefix(1_000))) },
      uniquingKeysWith: { first, _ in first }
    )
    firstTime = AlertWording.time(alert.first)
    lastTime = AlertWording.time(alert.last)
    count = alert.count
    evidence = alert.evidence.prefix(Self.evidenceLimit).map { Evidence(sequence: $0.sequence, uuid: $0.uuid) }
    evidenceTotal = alert.evidence.count
    createdAt = alert.createdAt.rfc3339
  }

  enum CodingKeys: String, CodingKey {
    case id, rule, title, severity, status, group, count, evidence
    case firstTime = "first_time"
    case lastTime = "last_time"
    case evidenceTotal = "evidence_total"
    case createdAt = "created_at"
  }
}

enum NotificationJSON {
  /// Sorted keys and unescaped slashes: stable bodies, so signatures are easy to check by eye.
  static func encode(_ value: some Encodable) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Array((try? encoder.encode(value)) ?? Data("{}".utf8))
  }
}
