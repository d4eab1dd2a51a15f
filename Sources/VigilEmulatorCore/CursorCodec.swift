import Crypto
import VigilBase
import VigilEventsAPIModel

/// What an emulator cursor carries: where paging stands, and the reset's limit and time window.
package struct CursorState: Hashable, Sendable {
  package var accountUUID: String
  package var stream: EventStream
  package var position: OrderKey?
  package var limit: Int
  package var start: Timestamp
  package var end: Timestamp?
  /// Distinguishes cursors of pages that did not move (an empty `has_more` page gets a new cursor).
  package var serial: Int
}

/// Opaque, tamper-evident cursors: the state, base64url-encoded, with an HMAC. Rotating the key
/// (admin API) invalidates every cursor issued so far, which is how tests make the API reject one.
package struct CursorCodec: Sendable {
  /// Key bytes (SymmetricKey is not Sendable; it is rebuilt per use, which is cheap).
  private var keyBytes: [UInt8]
  private let seed: UInt64
  package private(set) var generation = 0

  package init(seed: UInt64) {
    self.seed = seed
    keyBytes = Self.deriveKey(seed: seed, generation: 0)
  }

  private static func deriveKey(seed: UInt64, generation: Int) -> [UInt8] {
    Array(SHA256.hash(data: Array("vigil-emulator-cursor|\(seed)|\(generation)".utf8)))
  }

  private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

  package mutating func rotate() {
    generation += 1
    keyBytes = Self.deriveKey(seed: seed, generation: generation)
  }

  package func encode(_ state: CursorState) -> String {
    let fields = [
      state.accountUUID, state.stream.rawValue,
      state.position.map { "\($0.insertedAt.seconds).\($0.insertedAt.nanoseconds)" } ?? "",
      state.position?.uuid ?? "", String(state.limit), "\(state.start.seconds).\(state.start.nanoseconds)",
      state.end.map { "\($0.seconds).\($0.nanoseconds)" } ?? "", String(state.serial),
    ]
    let payload = Array(fields.joined(separator: "|").utf8)
    let mac = HMAC<SHA256>.authenticationCode(for: payload, using: key)
    return Base64URL.encode(payload) + "." + Base64URL.encode(Array(mac).prefix(16))
  }

  /// nil when the cursor was not issued by this emulator (with the current key) or is damaged.
  package func decode(_ cursor: String) -> CursorState? {
    let parts = cursor.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 2, let payload = Base64URL.decode(parts[0]), let tag = Base64URL.decode(parts[1]) else {
      return nil
    }
    let mac = HMAC<SHA256>.authenticationCode(for: payload, using: key)
    guard tag.count == 16, Array(mac).prefix(16).elementsEqual(tag) else { return nil }
    let fields = String(decoding: payload, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false)
      .map(String.init)
    guard fields.count == 8, let stream = EventStream(rawValue: fields[1]), let limit = Int(fields[4]),
      let start = Self.time(fields[5]), let serial = Int(fields[7])
    else { return nil }
    var position: OrderKey?
    if !fields[2].isEmpty {
      guard let time = Self.time(fields[2]) else { return nil }
      position = OrderKey(insertedAt: time, uuid: fields[3])
    }
    return CursorState(
      accountUUID: fields[0], stream: stream, position: position, limit: limit, start: start,
      end: fields[6].isEmpty ? nil : Self.time(fields[6]), serial: serial)
  }

  private static func time(_ text: String) -> Timestamp? {
    let parts = text.split(separator: ".")
    guard parts.count == 2, let seconds = Int64(parts[0]), let nanos = Int32(parts[1]) else { return nil }
    return Timestamp(seconds: seconds, nanoseconds: nanos)
  }
}
