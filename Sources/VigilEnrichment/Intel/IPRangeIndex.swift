import VigilCore

/// Longest-prefix match over many CIDR blocks. Built once: nested blocks are flattened into sorted,
/// disjoint ranges, each carrying the most specific block covering it, so a lookup is one binary
/// search (about 20 steps for a million blocks) with no allocation.
package struct IPRangeIndex: Sendable {
  /// Range starts (128-bit, IPv4 as `::ffff:a.b.c.d`), ascending.
  private var starts: [UInt128] = []
  /// For each range: the index of the block covering it, or -1 for a gap.
  private var owners: [Int32] = []

  package init() {}

  /// Builds the index of `networks`; a lookup answers the position in this array of the most specific
  /// block containing the address. Of two identical blocks, the later wins.
  package init(_ networks: [IPNetwork]) {
    let order = networks.indices.sorted { a, b in
      let (x, y) = (networks[a], networks[b])
      if x.first != y.first { return x.first < y.first }
      if x.prefixLength != y.prefixLength { return x.prefixLength < y.prefixLength }
      return a < b
    }
    var open: [(end: UInt128, owner: Int32)] = []
    func emit(_ start: UInt128, _ owner: Int32) {
      if let last = starts.last, last == start {
        owners[owners.count - 1] = owner
      } else {
        starts.append(start)
        owners.append(owner)
      }
    }
    func close(before start: UInt128?) {
      while let top = open.last, start.map({ top.end < $0 }) ?? true {
        open.removeLast()
        guard top.end != UInt128.max else { continue }
        emit(top.end + 1, open.last?.owner ?? -1)
      }
    }
    starts.reserveCapacity(networks.count * 2)
    owners.reserveCapacity(networks.count * 2)
    for position in order {
      let network = networks[position]
      let start = Self.key(network.first)
      close(before: start)
      emit(start, Int32(position))
      open.append((Self.key(network.last), Int32(position)))
    }
    close(before: nil)
    // Merge neighbours with the same owner.
    var mergedStarts: [UInt128] = []
    var mergedOwners: [Int32] = []
    for (start, owner) in zip(starts, owners) where mergedOwners.last != owner {
      mergedStarts.append(start)
      mergedOwners.append(owner)
    }
    starts = mergedStarts
    owners = mergedOwners
  }

  /// The position of the most specific block containing `address`, if any.
  package func lookup(_ address: IPAddress) -> Int? {
    let key = Self.key(address)
    var low = 0
    var high = starts.count
    while low < high {
      let middle = (low + high) / 2
      if starts[middle] <= key { low = middle + 1 } else { high = middle }
    }
    guard low > 0 else { return nil }
    let owner = owners[low - 1]
    return owner >= 0 ? Int(owner) : nil
  }

  /// How many disjoint ranges the blocks flattened to.
  package var rangeCount: Int { starts.count }

  static func key(_ address: IPAddress) -> UInt128 {
    var value: UInt128 = 0
    for byte in address.bytes { value = value << 8 | UInt128(byte) }
    return value
  }
}
