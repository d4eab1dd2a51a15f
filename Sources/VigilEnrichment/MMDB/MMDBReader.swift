import VigilCore

/// Reads a MaxMind DB file (GeoIP2/GeoLite2 City, Country, ASN, or any other in the format), in pure
/// Swift: the whole file is held in memory and looked up by walking its binary search tree.
/// The file is checked when opened (metadata, tree size, record size); each lookup decodes with
/// bounded work (``MMDBDecoder``), so a corrupt file gives an ``MMDBError``, never a crash.
package struct MMDBReader: Sendable {
  package struct Metadata: Hashable, Sendable {
    package var databaseType: String
    package var nodeCount: Int
    package var recordSize: Int
    package var ipVersion: Int
    package var buildEpoch: UInt64
    package var languages: [String]
  }

  package let metadata: Metadata
  private let bytes: [UInt8]
  private let treeSize: Int
  private let dataStart: Int
  private let dataEnd: Int
  /// The node reached after 96 zero bits: where IPv4 lookups start in an IPv6 tree.
  private let ipv4Start: Int

  private static let marker: [UInt8] = [0xAB, 0xCD, 0xEF] + Array("MaxMind.com".utf8)

  package init(bytes: [UInt8]) throws(MMDBError) {
    self.bytes = bytes
    guard let markerAt = Self.lastMarker(in: bytes) else { throw .notADatabase }
    let metadataStart = markerAt + Self.marker.count
    var decoder = MMDBDecoder(bytes: bytes, base: metadataStart, end: bytes.count)
    guard case .map(let map) = try decoder.decode(at: 0) else { throw .corrupt("the metadata is not a map") }
    func unsigned(_ key: String) throws(MMDBError) -> Int {
      guard case .unsigned(let value)? = map[key], let int = Int(exactly: value) else {
        throw .corrupt("metadata \(key) is missing or not an unsigned integer")
      }
      return int
    }
    let major = try unsigned("binary_format_major_version")
    guard major == 2 else { throw .unsupported("binary format version \(major); Vigil reads version 2") }
    let nodeCount = try unsigned("node_count")
    let recordSize = try unsigned("record_size")
    let ipVersion = try unsigned("ip_version")
    guard [24, 28, 32].contains(recordSize) else { throw .unsupported("record size \(recordSize)") }
    guard ipVersion == 4 || ipVersion == 6 else { throw .corrupt("ip_version \(ipVersion)") }
    var buildEpoch: UInt64 = 0
    if case .unsigned(let epoch)? = map["build_epoch"] { buildEpoch = epoch }
    var languages: [String] = []
    if case .array(let values)? = map["languages"] { languages = values.compactMap(\.string) }
    guard case .string(let type)? = map["database_type"] else { throw .corrupt("metadata database_type is missing") }
    let (treeSize, overflow) = nodeCount.multipliedReportingOverflow(by: recordSize / 4)
    guard !overflow, treeSize <= markerAt, markerAt - treeSize >= 16 else {
      throw .corrupt("node_count \(nodeCount) does not fit the file")
    }
    metadata = Metadata(
      databaseType: type, nodeCount: nodeCount, recordSize: recordSize, ipVersion: ipVersion, buildEpoch: buildEpoch,
      languages: languages)
    self.treeSize = treeSize
    dataStart = treeSize + 16
    dataEnd = markerAt
    try Self.validateTree(bytes, nodeCount: nodeCount, recordSize: recordSize, dataSize: markerAt - treeSize - 16)
    var node = 0
    if ipVersion == 6 {
      for _ in 0..<96 where node < nodeCount {
        node = try Self.record(bytes, node: node, bit: 0, recordSize: recordSize, nodeCount: nodeCount)
      }
    }
    ipv4Start = node
  }

  /// The record for an address and the prefix length of the network it belongs to; nil when the
  /// database has no data for it.
  package func lookup(_ address: IPAddress) throws(MMDBError) -> (value: MMDBValue, prefixLength: Int)? {
    let bits = address.bytes
    var node: Int
    var depth: Int
    if address.isIPv4 {
      node = ipv4Start
      depth = 96
    } else {
      guard metadata.ipVersion == 6 else { return nil }
      node = 0
      depth = 0
    }
    let nodeCount = metadata.nodeCount
    while depth < 128 && node < nodeCount {
      let bit = Int(bits[depth >> 3] >> (7 - UInt8(depth & 7))) & 1
      node = try Self.record(bytes, node: node, bit: bit, recordSize: metadata.recordSize, nodeCount: nodeCount)
      depth += 1
    }
    guard node > nodeCount else {
      if node == nodeCount { return nil }
      throw .corrupt("the search tree is deeper than 128 bits")
    }
    let offset = node - nodeCount - 16
    guard offset >= 0, dataStart + offset < dataEnd else { throw .corrupt("a record points outside the data section") }
    var decoder = MMDBDecoder(bytes: bytes, base: dataStart, end: dataEnd)
    let value = try decoder.decode(at: offset)
    return (value, address.isIPv4 ? max(0, depth - 96) : depth)
  }

  /// Checks the tree once when the file is opened: every record points at a node, at "no data", or
  /// into the data section (not into the 16-byte separator or past the end), and every node is
  /// reachable from the root, as a writer lays trees out. A few million reads for a City database;
  /// after it, lookups cannot wander.
  private static func validateTree(_ bytes: [UInt8], nodeCount: Int, recordSize: Int, dataSize: Int)
    throws(MMDBError)
  {
    guard nodeCount > 0 else { return }
    var reached = [Bool](repeating: false, count: nodeCount)
    var pending = [0]
    reached[0] = true
    var count = 1
    while let node = pending.popLast() {
      for bit in 0...1 {
        let record = try record(bytes, node: node, bit: bit, recordSize: recordSize, nodeCount: nodeCount)
        if record < nodeCount {
          if !reached[record] {
            reached[record] = true
            count += 1
            pending.append(record)
          }
        } else if record > nodeCount {
          let offset = record - nodeCount - 16
          guard offset >= 0, offset < dataSize else {
            throw .corrupt("node \(node) points outside the data section")
          }
        }
      }
    }
    guard count == nodeCount else {
      throw .corrupt("\(nodeCount - count) of \(nodeCount) search-tree nodes cannot be reached")
    }
  }

  /// One of the two records of a node.
  private static func record(_ bytes: [UInt8], node: Int, bit: Int, recordSize: Int, nodeCount: Int)
    throws(MMDBError) -> Int
  {
    let width = recordSize / 4
    let start = node * width
    guard node >= 0, node < nodeCount, start + width <= bytes.count else {
      throw .corrupt("the search tree points past its end")
    }
    func byte(_ index: Int) -> Int { Int(bytes[start + index]) }
    switch recordSize {
    case 24:
      return bit == 0 ? byte(0) << 16 | byte(1) << 8 | byte(2) : byte(3) << 16 | byte(4) << 8 | byte(5)
    case 28:
      return bit == 0
        ? (byte(3) >> 4) << 24 | byte(0) << 16 | byte(1) << 8 | byte(2)
        : (byte(3) & 0x0F) << 24 | byte(4) << 16 | byte(5) << 8 | byte(6)
    default:
      let offset = bit == 0 ? 0 : 4
      return byte(offset) << 24 | byte(offset + 1) << 16 | byte(offset + 2) << 8 | byte(offset + 3)
    }
  }

  /// The metadata marker's last occurrence, searched in the last 128 KiB as the format says.
  private static func lastMarker(in bytes: [UInt8]) -> Int? {
    let count = marker.count
    guard bytes.count >= count else { return nil }
    let lowest = max(0, bytes.count - 128 * 1024)
    var start = bytes.count - count
    while start >= lowest {
      if bytes[start] == 0xAB, bytes[start + 1] == 0xCD, bytes[start + 2] == 0xEF,
        bytes[(start + 3)..<(start + count)].elementsEqual(marker[3...])
      {
        return start
      }
      start -= 1
    }
    return nil
  }
}
