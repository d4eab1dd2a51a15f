import GRDB
import VigilCore
import VigilEventsAPIModel

/// An event's identity (account, stream, uuid) as one 64-bit integer, for the store's duplicate check.
/// A text index on the three values costs ~50 bytes and a string comparison per entry on every insert;
/// the integer index costs a fifth of that. It is a hash, not a key: two events may share it, so the
/// check compares the three values of the rows it finds, and a shared hash never hides an event.
package enum EventIdentity {
  /// FNV-1a over `account`, NUL, `stream`, NUL, `uuid`: stable across versions and platforms (the
  /// stored values depend on it), cheap, and well spread for uuids.
  package static func hash(account: String, stream: String, uuid: String) -> Int64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    func mix(_ byte: UInt8) {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    for byte in account.utf8 { mix(byte) }
    mix(0)
    for byte in stream.utf8 { mix(byte) }
    mix(0)
    for byte in uuid.utf8 { mix(byte) }
    return Int64(bitPattern: hash)
  }

  static func hash(_ event: CanonicalEvent) -> Int64 {
    hash(account: event.account, stream: event.stream.rawValue, uuid: event.uuid)
  }

  /// `vigil_event_identity(account, stream, uuid)`, for the migration that fills existing rows.
  static let function = DatabaseFunction("vigil_event_identity", argumentCount: 3, pure: true) { values in
    guard let account = String.fromDatabaseValue(values[0]), let stream = String.fromDatabaseValue(values[1]),
      let uuid = String.fromDatabaseValue(values[2])
    else { return nil }
    return hash(account: account, stream: stream, uuid: uuid)
  }

  static let column = "event_identity"
}
