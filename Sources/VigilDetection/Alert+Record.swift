import VigilBase
import VigilCore

extension AlertID {
  /// A short stable name for the alert (`vigil alerts show ID`): FNV-1a 64 of the rule, the period and
  /// the group, in hex.
  package var text: String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for part in [rule, String(period)] + group {
      for byte in part.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x100_0000_01b3
      }
      hash ^= 0x1F
      hash = hash &* 0x100_0000_01b3
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }
}

extension Alert {
  /// The alert as the store keeps it (new: open, created now).
  package func record(at time: Timestamp) -> AlertRecord {
    AlertRecord(
      id: id.text, rule: id.rule, title: title, severity: severity, group: id.group, groupFields: groupFields,
      period: id.period, first: first, last: last, count: count,
      evidence: evidence.map { AlertEvidence(sequence: $0.sequence, uuid: $0.uuid) }, at: time)
  }
}
