import Foundation
import ServiceLifecycle
import VigilBase
import VigilCore
import VigilDetectionService
import VigilRuntime

/// Tells the demo's user what detection found: once the backfill is collected and judged, how many
/// alerts fired by severity and how to list them; after that, each new high or critical alert.
struct DemoAlertReport: Service {
  let storage: StorageURL
  /// `vigil alerts list --config …`, as the user would type it.
  let listCommand: String
  let clock: any VigilClock

  func run() async throws {
    var opened: OpenedStore?
    defer { opened?.close() }
    var seen: Set<String>?
    while !Task.isCancelled, !Task.isShuttingDownGracefully {
      do {
        try await cancelWhenGracefulShutdown { try await clock.sleep(seconds: 2) }
      } catch {
        break
      }
      if opened == nil { opened = try? await StoreOpener.openExisting(storage) }
      guard let store = opened?.store else { continue }
      do {
        if let known = seen {
          seen = try await reportNew(store, known: known)
        } else if try await judgedBackfill(store) {
          seen = try await summarize(store)
        }
      } catch {
        continue
      }
    }
  }

  /// Every stream caught up, and detection's saved checkpoint at the newest event.
  private func judgedBackfill(_ store: any EventStore) async throws(StoreError) -> Bool {
    let streams = try await store.streamStates()
    guard !streams.isEmpty, streams.allSatisfy({ $0.caughtUpAt != nil }) else { return false }
    guard let saved = try await store.detectionState(DetectionService.consumer) else { return false }
    return saved.sequence >= (try await store.newestSequence())
  }

  private func everyAlert(_ store: any EventStore) async throws(StoreError) -> [AlertRecord] {
    var query = AlertQuery()
    query.limit = 1_000_000
    return try await store.alerts(query)
  }

  private func summarize(_ store: any EventStore) async throws(StoreError) -> Set<String> {
    let alerts = try await everyAlert(store)
    let counts = Severity.allCases.reversed().compactMap { severity -> String? in
      let count = alerts.count { $0.severity == severity }
      return count == 0 ? nil : "\(count) \(severity.rawValue)"
    }
    let rules = Set(alerts.map(\.rule)).count
    say(
      "Detection judged the backfill: \(alerts.count.grouped) alerts from \(rules) rules"
        + (counts.isEmpty ? "." : " (\(counts.joined(separator: ", "))).")
    )
    say("  List them: \(listCommand)   (new high and critical alerts are shown here as they fire)")
    return Set(alerts.map(\.id))
  }

  private func reportNew(_ store: any EventStore, known: Set<String>) async throws(StoreError) -> Set<String> {
    var query = AlertQuery()
    query.minimumSeverity = .high
    query.limit = 200
    var seen = known
    for alert in try await store.alerts(query).reversed() where !seen.contains(alert.id) {
      seen.insert(alert.id)
      say(Printable.text("alert: [\(alert.severity.rawValue)] \(alert.title) (\(alert.rule), \(alert.id))"))
    }
    return seen
  }
}
