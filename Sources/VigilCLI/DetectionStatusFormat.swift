import Foundation
import VigilBase
import VigilCore
import VigilDetection
import VigilDetectionService
import VigilJSON

/// The detection and notification part of `vigil status`: how far detection has judged the log, how
/// much state it holds, and how each notifier is faring.
struct DetectionStatus {
  var checkpoint: Int64?
  var newestSequence: Int64 = 0
  var stateBytes: Int?
  var size: DetectionStateSize?
  var openAlerts = 0
  var notifiers: [NotifierSummary] = []

  static func read(_ store: any EventStore) async throws(StoreError) -> DetectionStatus {
    var status = DetectionStatus()
    status.newestSequence = try await store.newestSequence()
    if let saved = try await store.detectionState(DetectionService.consumer) {
      status.checkpoint = saved.sequence
      status.stateBytes = saved.state.count
      status.size = try? DetectionSnapshot.decode(Data(saved.state)).size
    }
    var open = AlertQuery()
    open.status = .open
    status.openAlerts = try await store.alertCount(open)
    status.notifiers = try await store.notificationSummary()
    return status
  }

  func table(now: Timestamp) -> String {
    var lines: [String] = []
    if let checkpoint {
      let behind = max(0, newestSequence - checkpoint)
      var line = "detection: judged the log to \(Int(checkpoint).grouped) of \(Int(newestSequence).grouped)"
      line += behind == 0 ? " (up to date)" : " (\(Int(behind).grouped) events behind, as of its last saved state)"
      lines.append(line)
      if let size, let stateBytes {
        lines.append(
          "  state: \(ByteText.shown(stateBytes)), \(size.groups.grouped) groups, \(size.heldEvents.grouped) events held"
            + (size.evicted > 0 ? ", \(size.evicted.grouped) forgotten early at a cap" : "")
            + (size.tooLate > 0 ? ", \(size.tooLate.grouped) events too late to judge" : ""))
      }
    } else {
      lines.append("detection: not started (it runs in `vigil run` and `vigil demo`)")
    }
    lines.append("  open alerts: \(openAlerts.grouped) (`vigil alerts list --status open`)")
    guard !notifiers.isEmpty else { return lines.joined(separator: "\n") }
    var rows = [["NOTIFIER", "PENDING", "DELIVERED", "FAILED", "LAST DELIVERED", "LAST ERROR"]]
    for notifier in notifiers {
      rows.append([
        notifier.notifier, notifier.pending.grouped, notifier.delivered.grouped,
        notifier.failed > 0 ? "\(notifier.failed.grouped) FAILED" : "0",
        notifier.lastDeliveredAt.map { StatusCommand.age($0, now: now) + " ago" } ?? "-",
        notifier.lastError.map { error in
          (notifier.lastErrorAt.map { "\(StatusCommand.age($0, now: now)) ago: " } ?? "") + Printable.text(error)
        } ?? "",
      ])
    }
    return lines.joined(separator: "\n") + "\n\n" + StatusCommand.textTable(rows)
  }

  func json(into writer: inout JSONWriter) {
    writer.key("detection")
    writer.beginObject()
    writer.field("checkpoint", checkpoint.map(Int.init))
    writer.field("newest_sequence", Int(newestSequence))
    writer.field("state_bytes", stateBytes)
    writer.field("state_groups", size?.groups)
    writer.field("state_events_held", size?.heldEvents)
    writer.field("state_evicted", size?.evicted)
    writer.field("events_too_late", size?.tooLate)
    writer.field("open_alerts", openAlerts)
    writer.endObject()
    writer.key("notifiers")
    writer.beginArray()
    for notifier in notifiers {
      writer.beginObject()
      writer.field("name", notifier.notifier)
      writer.field("pending", notifier.pending)
      writer.field("delivered", notifier.delivered)
      writer.field("failed", notifier.failed)
      writer.field("last_delivered_at", notifier.lastDeliveredAt?.rfc3339)
      writer.field("last_error_at", notifier.lastErrorAt?.rfc3339)
      writer.field("last_error", notifier.lastError)
      writer.endObject()
    }
    writer.endArray()
  }
}

/// Byte counts as people read them.
enum ByteText {
  static func shown(_ bytes: Int) -> String {
    switch bytes {
    case ..<1_024: "\(bytes) B"
    case ..<(1 << 20): String(format: "%.1f KiB", Double(bytes) / 1_024)
    default: String(format: "%.1f MiB", Double(bytes) / Double(1 << 20))
    }
  }
}
