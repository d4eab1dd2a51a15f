import VigilCore

/// Writes a MaxMind DB file (format 2, IPv6 tree with IPv4 under `::/96`). Vigil uses it to build the
/// demo's database for the emulator's synthetic networks, and tests use it to check the reader on
/// every record size.
package struct MMDBWriter: Sendable {
  package var databaseType: String
  package var recordSize: Int
  package var buildEpoch: UInt64
  private var entries: [(network: IPNetwork, value: MMDBValue)] = []

  package init(databaseType: String, recordSize: Int = 28, buildEpoch: UInt64 = 0) {
    self.databaseType = databaseType
    self.recordSize = recordSize
    self.buildEpoch = buildEpoch
  }

  /// Adds a network; a more specific network inside it overrides it there, whatever the order.
  package mutating func insert(_ network: IPNetwork, _ value: MMDBValue) {
    entries.append((network, value))
  }

  private enum Child: Equatable {
    case empty
    case node(Int)
    case data(Int)
  }

  package func build() -> [UInt8] {
    var nodes: [[Child]] = [[.empty, .empty]]
    var values: [MMDBValue] = []
    for entry in entries.sorted(by: { Self.bits($0.network) < Self.bits($1.network) }) {
      let data = values.count
      values.append(entry.value)
      // IPv4 lives under ::/96 in the tree (Vigil's addresses map it to ::ffff:0:0/96).
      let first = entry.network.first
      let address = first.isIPv4 ? [UInt8](repeating: 0, count: 12) + first.bytes.suffix(4) : first.bytes
      let length = Self.bits(entry.network)
      var node = 0
      for depth in 0..<length {
        let bit = Int(address[depth >> 3] >> (7 - UInt8(depth & 7))) & 1
        if depth == length - 1 {
          Self.fill(&nodes, node: node, bit: bit, data: data)
          break
        }
        switch nodes[node][bit] {
        case .node(let next): node = next
        case .empty, .data:
          let inherited = nodes[node][bit]
          nodes.append([inherited, inherited])
          nodes[node][bit] = .node(nodes.count - 1)
          node = nodes.count - 1
        }
      }
    }
    var section: [UInt8] = []
    var offsets: [Int] = []
    for value in values {
      offsets.append(section.count)
      Self.encode(value, into: &section)
    }
    let nodeCount = nodes.count
    func record(_ child: Child) -> Int {
      switch child {
      case .empty: nodeCount
      case .node(let index): index
      case .data(let index): nodeCount + 16 + offsets[index]
      }
    }
    var output: [UInt8] = []
    for node in nodes {
      let (left, right) = (record(node[0]), record(node[1]))
      switch recordSize {
      case 24:
        output += [UInt8(left >> 16 & 0xFF), UInt8(left >> 8 & 0xFF), UInt8(left & 0xFF)]
        output += [UInt8(right >> 16 & 0xFF), UInt8(right >> 8 & 0xFF), UInt8(right & 0xFF)]
      case 28:
        output += [UInt8(left >> 16 & 0xFF), UInt8(left >> 8 & 0xFF), UInt8(left & 0xFF)]
        output.append(UInt8((left >> 24 & 0x0F) << 4 | (right >> 24 & 0x0F)))
        output += [UInt8(right >> 16 & 0xFF), UInt8(right >> 8 & 0xFF), UInt8(right & 0xFF)]
      default:
        for value in [left, right] {
          output += [
            UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF),
          ]
        }
      }
    }
    output += [UInt8](repeating: 0, count: 16)
    output += section
    output += [0xAB, 0xCD, 0xEF] + Array("MaxMind.com".utf8)
    let metadata: MMDBValue = .map([
      "binary_format_major_version": .unsigned(2), "binary_format_minor_version": .unsigned(0),
      "build_epoch": .unsigned(buildEpoch), "database_type": .string(databaseType),
      "description": .map(["en": .string("Written by Vigil")]), "ip_version": .unsigned(6),
      "languages": .array([.string("en")]), "node_count": .unsigned(UInt64(nodeCount)),
      "record_size": .unsigned(UInt64(recordSize)),
    ])
    Self.encode(metadata, into: &output)
    return output
  }

  /// Points every empty or data record under (node, bit) at `data`, keeping deeper (more specific)
  /// networks already inserted there.
  private static func fill(_ nodes: inout [[Child]], node: Int, bit: Int, data: Int) {
    switch nodes[node][bit] {
    case .node(let next):
      fill(&nodes, node: next, bit: 0, data: data)
      fill(&nodes, node: next, bit: 1, data: data)
    case .empty, .data:
      nodes[node][bit] = .data(data)
    }
  }

  /// Prefix length in the 128-bit tree (IPv4 sits under `::/96`).
  private static func bits(_ network: IPNetwork) -> Int { network.prefixLength }

  static func encode(_ value: MMDBValue, into output: inout [UInt8]) {
    switch value {
    case .string(let text):
      header(type: 2, size: text.utf8.count, into: &output)
      output += Array(text.utf8)
    case .double(let number):
      header(type: 3, size: 8, into: &output)
      output += bigEndian(number.bitPattern, count: 8)
    case .bytes(let bytes):
      header(type: 4, size: bytes.count, into: &output)
      output += bytes
    case .unsigned(let number):
      let count = (64 - number.leadingZeroBitCount + 7) / 8
      header(type: count <= 2 ? 5 : count <= 4 ? 6 : 9, size: count, into: &output)
      output += bigEndian(number, count: count)
    case .unsigned128(let high, let low):
      let count = high == 0 ? (64 - low.leadingZeroBitCount + 7) / 8 : 8 + (64 - high.leadingZeroBitCount + 7) / 8
      header(type: 10, size: count, into: &output)
      if count > 8 { output += bigEndian(high, count: count - 8) }
      output += bigEndian(low, count: min(count, 8))
    case .signed(let number):
      header(type: 8, size: 4, into: &output)
      output += bigEndian(UInt64(UInt32(bitPattern: number)), count: 4)
    case .bool(let flag):
      header(type: 14, size: flag ? 1 : 0, into: &output)
    case .float(let number):
      header(type: 15, size: 4, into: &output)
      output += bigEndian(UInt64(number.bitPattern), count: 4)
    case .map(let map):
      header(type: 7, size: map.count, into: &output)
      for key in map.keys.sorted() {
        encode(.string(key), into: &output)
        if let entry = map[key] { encode(entry, into: &output) }
      }
    case .array(let items):
      header(type: 11, size: items.count, into: &output)
      for item in items { encode(item, into: &output) }
    }
  }

  private static func header(type: Int, size: Int, into output: inout [UInt8]) {
    let sizeBits: Int
    var extra: [UInt8] = []
    switch size {
    case ..<29: sizeBits = size
    case ..<285:
      sizeBits = 29
      extra = [UInt8(size - 29)]
    case ..<65_821:
      sizeBits = 30
      extra = bigEndian(UInt64(size - 285), count: 2)
    default:
      sizeBits = 31
      extra = bigEndian(UInt64(size - 65_821), count: 3)
    }
    if type <= 7 {
      output.append(UInt8(type << 5 | sizeBits))
    } else {
      output.append(UInt8(sizeBits))
      output.append(UInt8(type - 7))
    }
    output += extra
  }

  private static func bigEndian(_ value: UInt64, count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64(count - 1 - $0))) }
  }
}
