import Foundation
import VigilBase
import VigilCore
import VigilFormats
import VigilSinks

/// Events appended to a local file, one per line (or CSV rows), synced to disk with each batch, so a
/// batch counts as delivered only once it is durable. The file rotates by size and by age: the full
/// file is renamed `NAME-<UTC start>.EXT` and, with `gzip`, compressed through the same writer as
/// `vigil export` (written aside, moved into place when whole). Files are created at mode 0600.
package actor FileSinkConnection: SinkConnection {
  nonisolated let settings: SinkSettings.File
  let clock: any VigilClock
  private var handle: FileHandle?
  private var size = 0
  private var openedAt: Timestamp?

  package init(settings: SinkSettings.File, clock: any VigilClock) {
    self.settings = settings
    self.clock = clock
  }

  package nonisolated var limits: Batcher.Limits { Batcher.Limits(events: 10_000, bytes: 8 << 20, seconds: 1) }

  package nonisolated func record(_ event: StoredEvent, now: Timestamp) -> RecordChoice {
    var output: [UInt8] = []
    settings.format.encoder.encode(event.event, into: &output)
    return .send(output)
  }

  package nonisolated var readsRaw: Bool { settings.format == .raw }

  package nonisolated func rawRecord(_ event: RawStoredEvent, now: Timestamp) -> RecordChoice? {
    settings.format.line(raw: event.raw).map(RecordChoice.send)
  }

  /// An alert change as one JSON line (a CSV file has event columns: no alerts).
  package nonisolated func alert(_ alert: AlertRecord) -> [UInt8]? {
    settings.format == .csv ? nil : alert.json + [UInt8(ascii: "\n")]
  }

  package func deliver(_ batch: [SinkRecord]) async -> DeliveryVerdict {
    do {
      try rotateIfDue()
      let handle = try opened()
      var bytes: [UInt8] = size == 0 ? settings.format.encoder.header() : []
      for record in batch { bytes += record.bytes }
      try handle.write(contentsOf: bytes)
      try handle.synchronize()
      size += bytes.count
      return .delivered
    } catch {
      try? handle?.close()
      handle = nil
      return .retryAll(batch.count, reason: "cannot write \(settings.path): \(error)")
    }
  }

  package func close() async {
    try? handle?.close()
    handle = nil
  }

  private func opened() throws -> FileHandle {
    if let handle { return handle }
    let descriptor = open(settings.path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw OutputFileError(
        "cannot open \(settings.path): \(String(cString: strerror(errno))); check the directory exists and is writable")
    }
    let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    size = Int(try handle.seekToEnd())
    openedAt = openedAt ?? clock.now
    self.handle = handle
    return handle
  }

  private func rotateIfDue() throws {
    guard size > 0, let openedAt else { return }
    let now = clock.now
    let bySize = settings.rotateBytes.map { size >= $0 } ?? false
    let byAge = settings.rotateSeconds.map { now.epochSeconds - openedAt.epochSeconds >= $0 } ?? false
    guard bySize || byAge else { return }
    try handle?.close()
    handle = nil
    let rotated = Self.freeName(Self.rotatedName(settings.path, start: openedAt), gzip: settings.gzip)
    guard rename(settings.path, rotated) == 0 else {
      throw OutputFileError("cannot rotate \(settings.path): \(String(cString: strerror(errno)))")
    }
    size = 0
    self.openedAt = now
    if settings.gzip {
      let output = try ExportOutput(path: rotated + ".gz", gzip: true)
      do {
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: rotated))
        defer { try? input.close() }
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try output.write(Array(chunk)) }
        try output.finish()
        unlink(rotated)
      } catch {
        output.abandon()
        throw error
      }
    }
  }

  /// `name`, or `name` with `-1`, `-2`… before its extension when a file of that name (or its `.gz`)
  /// exists: rotations within one second must not replace each other.
  static func freeName(_ name: String, gzip: Bool) -> String {
    func taken(_ candidate: String) -> Bool {
      FileManager.default.fileExists(atPath: candidate)
        || (gzip && FileManager.default.fileExists(atPath: candidate + ".gz"))
    }
    guard taken(name) else { return name }
    let slash = name.lastIndex(of: "/").map { name.index(after: $0) } ?? name.startIndex
    let dot = name[slash...].lastIndex(of: ".").flatMap { $0 > slash ? $0 : nil } ?? name.endIndex
    var counter = 1
    while taken("\(name[..<dot])-\(counter)\(name[dot...])") { counter += 1 }
    return "\(name[..<dot])-\(counter)\(name[dot...])"
  }

  /// `events.ndjson` → `events-20261202T140000Z.ndjson`.
  static func rotatedName(_ path: String, start: Timestamp) -> String {
    let stamp =
      String(
        start.rfc3339.prefix(19).filter { $0 != "-" && $0 != ":" }) + "Z"
    let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
    if let dot = path[slash...].lastIndex(of: "."), dot > slash {
      return "\(path[..<dot])-\(stamp)\(path[dot...])"
    }
    return "\(path)-\(stamp)"
  }
}
