/// An IPv4 or IPv6 address as 16 bytes (IPv4 as `::ffff:a.b.c.d`), so that every address sorts in one
/// order and a CIDR block is one contiguous range: the store indexes these bytes, and the query
/// language, threat intel and lookups match networks as ranges.
package struct IPAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
  package let bytes: [UInt8]

  package init?(bytes: [UInt8]) {
    guard bytes.count == 16 else { return nil }
    self.bytes = bytes
  }

  /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (with `::` and an embedded IPv4 tail); a zone
  /// (`%eth0`) is ignored. Nil for anything else.
  package init?(_ text: some StringProtocol) {
    let scalars = Array(text.utf8.prefix(while: { $0 != UInt8(ascii: "%") }))
    guard !scalars.isEmpty, scalars.count <= 45 else { return nil }
    if !scalars.contains(UInt8(ascii: ":")) {
      guard let v4 = Self.parseIPv4(scalars[...]) else { return nil }
      bytes = Self.mappedPrefix + v4
    } else {
      guard let v6 = Self.parseIPv6(scalars) else { return nil }
      bytes = v6
    }
  }

  /// IPv4 addresses (mapped into IPv6) are the block `::ffff:0:0/96`.
  package var isIPv4: Bool { bytes.prefix(12).elementsEqual(Self.mappedPrefix) }

  package var description: String {
    if isIPv4 { return bytes.suffix(4).map(String.init).joined(separator: ".") }
    var groups: [UInt16] = []
    for index in stride(from: 0, to: 16, by: 2) { groups.append(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])) }
    // The longest run of two or more zero groups becomes "::".
    var best: Range<Int>?
    var start: Int?
    for index in 0...8 {
      if index < 8, groups[index] == 0 {
        if start == nil { start = index }
      } else if let run = start {
        if index - run >= 2, (best?.count ?? 0) < index - run { best = run..<index }
        start = nil
      }
    }
    func hex(_ range: Range<Int>) -> String {
      groups[range].map { String($0, radix: 16) }.joined(separator: ":")
    }
    guard let best else { return hex(0..<8) }
    return hex(0..<best.lowerBound) + "::" + hex(best.upperBound..<8)
  }

  package static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
    lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
  }

  static let mappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]

  private static func parseIPv4(_ text: ArraySlice<UInt8>) -> [UInt8]? {
    let parts = text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    guard parts.count == 4 else { return nil }
    var result: [UInt8] = []
    for part in parts {
      guard (1...3).contains(part.count), part.allSatisfy({ (48...57).contains($0) }) else { return nil }
      let value = part.reduce(0) { $0 * 10 + Int($1 - 48) }
      guard value <= 255 else { return nil }
      result.append(UInt8(value))
    }
    return result
  }

  private static func parseIPv6(_ text: [UInt8]) -> [UInt8]? {
    let colon = UInt8(ascii: ":")
    var head: [UInt16] = []
    var tail: [UInt16] = []
    var sawGap = false
    var index = 0
    // A leading "::".
    if text.starts(with: [colon, colon]) {
      sawGap = true
      index = 2
    } else if text.first == colon {
      return nil
    }
    var v4Tail: [UInt8]?
    while index < text.count {
      var end = index
      while end < text.count, text[end] != colon { end += 1 }
      let part = text[index..<end]
      if part.contains(UInt8(ascii: ".")) {
        // An embedded IPv4 address ends the text.
        guard end == text.count, let v4 = parseIPv4(part) else { return nil }
        v4Tail = v4
      } else {
        guard (1...4).contains(part.count), let group = UInt16(String(decoding: part, as: UTF8.self), radix: 16),
          part.allSatisfy({ isHex($0) })
        else { return nil }
        if sawGap { tail.append(group) } else { head.append(group) }
      }
      guard end < text.count else { break }
      // A separator: ":" or the one "::".
      if end + 1 < text.count, text[end + 1] == colon {
        guard !sawGap else { return nil }
        sawGap = true
        index = end + 2
      } else {
        guard end + 1 < text.count else { return nil }
        index = end + 1
      }
    }
    var groups = head.count + tail.count + (v4Tail == nil ? 0 : 2)
    if sawGap {
      guard groups < 8 else { return nil }
      groups = 8
    }
    guard groups == 8 else { return nil }
    var bytes: [UInt8] = []
    for group in head { bytes += [UInt8(group >> 8), UInt8(group & 0xFF)] }
    let gapBytes = 16 - (head.count + tail.count) * 2 - (v4Tail?.count ?? 0)
    bytes += [UInt8](repeating: 0, count: gapBytes)
    for group in tail { bytes += [UInt8(group >> 8), UInt8(group & 0xFF)] }
    bytes += v4Tail ?? []
    return bytes.count == 16 ? bytes : nil
  }

  private static func isHex(_ byte: UInt8) -> Bool {
    (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
  }
}

/// A CIDR block (`10.0.0.0/8`, `2001:db8::/32`) as the inclusive range of addresses it covers.
package struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
  package let first: IPAddress
  package let last: IPAddress
  /// The prefix length in the 128-bit space (IPv4 prefixes are offset by 96).
  package let prefixLength: Int

  /// Parses `address/prefix`; a bare address is a single-address network. Host bits may be set
  /// (`10.1.2.3/8` is `10.0.0.0/8`), as most feeds and firewalls accept.
  package init?(_ text: some StringProtocol) {
    let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
    guard let address = IPAddress(parts[0]) else { return nil }
    var length = 128
    if parts.count == 2 {
      guard parts[1].count <= 3, parts[1].allSatisfy(\.isASCII), let prefix = Int(parts[1]) else { return nil }
      let limit = address.isIPv4 ? 32 : 128
      guard (0...limit).contains(prefix) else { return nil }
      length = address.isIPv4 ? prefix + 96 : prefix
    }
    self.init(address: address, prefixLength: length)
  }

  package init(address: IPAddress, prefixLength: Int) {
    var low = address.bytes
    var high = address.bytes
    for bit in max(0, prefixLength)..<128 {
      low[bit / 8] &= ~(UInt8(0x80) >> UInt8(bit % 8))
      high[bit / 8] |= UInt8(0x80) >> UInt8(bit % 8)
    }
    first = IPAddress(bytes: low) ?? address
    last = IPAddress(bytes: high) ?? address
    self.prefixLength = prefixLength
  }

  package func contains(_ address: IPAddress) -> Bool { first <= address && address <= last }

  package var description: String {
    first.isIPv4 && prefixLength >= 96 ? "\(first)/\(prefixLength - 96)" : "\(first)/\(prefixLength)"
  }
}
