/// One selected event as a windowed rule remembers it: its reference and what the rule's kind needs.
struct HistoryEntry: Sendable, Codable {
  var ref: EventRef
  /// `distinct`: the counted field's value.
  var value: String?
  /// `sequence`: the steps the event matches, one bit each.
  var steps: UInt64 = 0
  /// `geo_velocity`: where the event came from.
  var latitude: Double?
  var longitude: Double?
  var asNumber: Int?
  var knownNetwork = false
  /// Whether the rule's condition held at this event (it only ever becomes true).
  var triggered = false
}

/// A group's selected events in event-time order (then uuid), whatever order they arrived in.
struct KeyHistory: Sendable, Codable {
  var entries: [HistoryEntry] = []

  /// Inserts in order; returns the entry's index, or nil when the same event is already here.
  mutating func insert(_ entry: HistoryEntry) -> Int? {
    if let last = entries.last, last.ref < entry.ref {
      entries.append(entry)
      return entries.count - 1
    }
    let index = entries.partitioningIndex { !($0.ref < entry.ref) }
    if index < entries.count, entries[index].ref == entry.ref { return nil }
    entries.insert(entry, at: index)
    return index
  }

  /// The first index whose event time is at least `time`.
  func first(atOrAfter time: Int64) -> Int {
    entries.partitioningIndex { $0.ref.time >= time }
  }

  /// The first index whose event time is after `time`.
  func first(after time: Int64) -> Int {
    entries.partitioningIndex { $0.ref.time > time }
  }

  /// Forgets events before `time`; returns how many.
  mutating func drop(before time: Int64) -> Int {
    let cut = first(atOrAfter: time)
    if cut > 0 { entries.removeFirst(cut) }
    return cut
  }

  var newest: Int64 { entries.last?.ref.time ?? .min }
}
