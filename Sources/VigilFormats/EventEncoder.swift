import VigilCore
import VigilJSON

/// Turns events into the bytes of one export format. Encoders hold no per-event state, so an export
/// streams: each event is encoded and written as it is read.
package protocol EventEncoder: Sendable {
  /// Written once before the first event (the CSV header; empty for line-delimited JSON).
  func header() -> [UInt8]
  /// Appends one event, with its line ending.
  func encode(_ event: CanonicalEvent, into output: inout [UInt8])
}

/// An encoder of one JSON document per event, one per line (ECS, OCSF).
package protocol JSONLineEncoder: EventEncoder {
  func document(_ event: CanonicalEvent) -> JSONTree
}

extension JSONLineEncoder {
  package func header() -> [UInt8] { [] }

  package func encode(_ event: CanonicalEvent, into output: inout [UInt8]) {
    var writer = JSONWriter(capacity: 1024)
    document(event).write(into: &writer)
    output.append(contentsOf: writer.bytes)
    output.append(UInt8(ascii: "\n"))
  }
}

/// The formats `vigil export` and the sinks speak.
package enum ExportFormat: String, Sendable, CaseIterable {
  /// Elastic Common Schema, as Elastic's 1Password integration shapes it, one document per line.
  case ecs
  /// OCSF 1.3, one event per line.
  case ocsf
  /// The JSON the API returned, byte for byte, one event per line.
  case raw
  /// Every catalog field, one row per event.
  case csv

  package var encoder: any EventEncoder {
    switch self {
    case .ecs: ECSEncoder()
    case .ocsf: OCSFEncoder()
    case .raw: RawEncoder()
    case .csv: CSVEncoder()
    }
  }

  /// The file extension of an export in this format (before `.gz`).
  package var fileExtension: String { self == .csv ? "csv" : "ndjson" }

  /// The line this format writes for an event, from its raw JSON alone: only `raw` can (the others
  /// shape decoded fields), so sinks in that format read the log without decoding it.
  package func line(raw: [UInt8]) -> [UInt8]? {
    guard self == .raw else { return nil }
    var output: [UInt8] = []
    RawEncoder.line(raw, into: &output)
    return output
  }
}

/// The API's own JSON, as it arrived.
package struct RawEncoder: EventEncoder {
  package init() {}
  package func header() -> [UInt8] { [] }
  package func encode(_ event: CanonicalEvent, into output: inout [UInt8]) {
    Self.line(event.raw, into: &output)
  }

  /// The raw JSON as one line.
  package static func line(_ raw: [UInt8], into output: inout [UInt8]) {
    // One event per line: a line break in the API's bytes can only be whitespace between tokens (valid
    // JSON escapes it inside strings), so dropping it changes nothing but the line count.
    if raw.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
      output.append(contentsOf: raw.lazy.filter { $0 != 0x0A && $0 != 0x0D })
    } else {
      output.append(contentsOf: raw)
    }
    output.append(UInt8(ascii: "\n"))
  }
}
