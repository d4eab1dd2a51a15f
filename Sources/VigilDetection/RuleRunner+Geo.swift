import Foundation
import VigilCore

extension RuleRunner {
  /// Geo-velocity: each located event is compared with the group's located events within the window
  /// on either side; a pair whose implied speed is impossible triggers at its later event.
  mutating func observeLocated(
    _ event: CanonicalEvent, ref: EventRef, velocity: GeoVelocity, watchlists: Watchlists, limits: StateLimits
  ) {
    guard let latitude = event.geo.latitude, let longitude = event.geo.longitude,
      let group = Rule.groupKey(event, fields: rule.groupBy)
    else { return }
    var entry = HistoryEntry(ref: ref)
    entry.latitude = latitude
    entry.longitude = longitude
    entry.asNumber = event.enrichment.asNumber
    entry.knownNetwork =
      event.enrichment.network != nil
      || velocity.knownNetworks.map { list in event.sourceIP.map { watchlists.contains(.string($0), in: list) } ?? false
      }
        ?? false
    var history = state.histories.removeValue(forKey: group) ?? KeyHistory()
    defer { state.histories[group] = history }
    guard history.insert(entry) != nil else { return }
    if history.entries.count > limits.eventsPerGroup {
      history.entries.removeFirst(history.entries.count - limits.eventsPerGroup)
      state.evicted += 1
    }
    let range =
      history.first(atOrAfter: ref.time &- velocity.window)..<history.first(after: ref.time &+ velocity.window)
    for other in history.entries[range] where other.ref != ref {
      guard Self.impossible(entry, other, velocity) else { continue }
      let later = max(entry.ref, other.ref)
      record(group: group, at: later.time, evidence: [entry.ref, other.ref])
    }
  }

  static func impossible(_ a: HistoryEntry, _ b: HistoryEntry, _ velocity: GeoVelocity) -> Bool {
    guard let lat1 = a.latitude, let lon1 = a.longitude, let lat2 = b.latitude, let lon2 = b.longitude else {
      return false
    }
    if a.knownNetwork || b.knownNetwork { return false }
    if velocity.exemptSameASN, let first = a.asNumber, first == b.asNumber { return false }
    let distance = Geodesy.kilometres(lat1, lon1, lat2, lon2)
    guard distance >= velocity.minDistance else { return false }
    // At least a minute apart: two sign-ins in the same second are not infinitely fast.
    let hours = max(Double(abs(a.ref.time - b.ref.time)) / 3.6e12, 1.0 / 60)
    return distance / hours > velocity.maxSpeed
  }
}

/// Distances on the Earth's surface.
package enum Geodesy {
  /// Great-circle distance in km (haversine, mean radius 6,371 km).
  package static func kilometres(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
    let radians = Double.pi / 180
    let dLat = (lat2 - lat1) * radians
    let dLon = (lon2 - lon1) * radians
    let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * radians) * cos(lat2 * radians) * sin(dLon / 2) * sin(dLon / 2)
    return 6371 * 2 * atan2(a.squareRoot(), (1 - a).squareRoot())
  }
}
