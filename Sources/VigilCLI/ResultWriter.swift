import Foundation
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilFormats
import VigilJSON
import VigilQuery
import VigilRuntime

/// Writes search results as they stream in: an aligned table for people, JSON, NDJSON or CSV for
/// programs. Every value is attacker-controlled (names, user agents, cities): control characters never
/// reach a terminal, CSV cells never start a spreadsheet formula, JSON is escaped by the writer.
final class ResultWriter: @unchecked Sendable {
  enum Format: String, CaseIterable, Sendable {
    case table, json, ndjson, csv
  }

  private let format: Format
  private let columns: [ResultColumn]
  private let output: FileHandle
  /// Machine formats shown on a terminal are filtered too: a CSV or JSON cell must not drive it.
  private let outputIsTerminal: Bool
  private let lock = NSLock()
  private var rowsWritten = 0
  /// Table rows held back to size the columns (the first screenfuls), then written as they come.
  private var pending: [[String]] = []
  private var widths: [Int]?
  private var buffer: [UInt8] = []

  static let tableSample = 500
  static let widestCell = 60

  /// `terminal` says whether `output` is a terminal (nil: ask the system).
  init(format: Format, columns: [ResultColumn], output: FileHandle = .standardOutput, terminal: Bool? = nil) {
    self.format = format
    self.columns = columns
    self.output = output
    outputIsTerminal = terminal ?? (isatty(output.fileDescriptor) == 1)
    switch format {
    case .json: buffer += Array("[".utf8)
    case .csv: line(columns.map { CSVCell.escape($0.name) }.joined(separator: ","))
    case .table, .ndjson: break
    }
  }

  var count: Int { lock.withLock { rowsWritten } }

  func write(_ row: ResultRow) {
    lock.withLock {
      rowsWritten += 1
      switch format {
      case .table:
        let cells = row.map { Self.text($0, forTerminal: true) }
        if let widths {
          line(Self.tableLine(cells, widths))
        } else {
          pending.append(cells)
          if pending.count >= Self.tableSample { flushTable() }
        }
      case .ndjson: line(terminalSafe(jsonObject(row)))
      case .json: buffer += Array(((rowsWritten == 1 ? "\n" : ",\n") + terminalSafe(jsonObject(row))).utf8)
      case .csv:
        line(terminalSafe(row.map { CSVCell.escape(Self.text($0, forTerminal: false)) }.joined(separator: ",")))
      }
      if buffer.count >= 1 << 16 { flush() }
    }
  }

  func finish() {
    lock.withLock {
      switch format {
      case .table:
        flushTable()
        if rowsWritten == 0 { line("no events match") }
      case .json: buffer += Array((rowsWritten == 0 ? "]\n" : "\n]\n").utf8)
      case .ndjson, .csv: break
      }
      flush()
    }
  }

  private func flushTable() {
    if widths == nil {
      let header = columns.map { $0.name.uppercased() }
      var widths = header.map(\.count)
      for cells in pending {
        for (index, cell) in cells.enumerated() { widths[index] = min(Self.widestCell, max(widths[index], cell.count)) }
      }
      self.widths = widths
      line(Self.tableLine(header, widths))
    }
    for cells in pending { line(Self.tableLine(cells, widths ?? [])) }
    pending.removeAll()
  }

  /// One rendered row, filtered when it goes to a terminal. A CSV cell may hold a line break of its
  /// own, which the filter would replace: on a terminal the row is for reading, not for parsing.
  private func terminalSafe(_ text: String) -> String {
    outputIsTerminal ? Printable.text(text) : text
  }

  private func line(_ text: String) {
    buffer += Array(text.utf8)
    buffer.append(10)
  }

  private func flush() {
    guard !buffer.isEmpty else { return }
    output.write(Data(buffer))
    buffer.removeAll(keepingCapacity: true)
  }

  private func jsonObject(_ row: ResultRow) -> String {
    var writer = JSONWriter(capacity: 256)
    writer.beginObject()
    for (column, value) in zip(columns, row) {
      writer.key(column.name)
      switch value {
      case nil: writer.null()
      case .string(let text)?: writer.string(text)
      case .integer(let number)?: writer.raw(Array(String(number).utf8))
      case .double(let number)?: writer.double(number)
      case .time(let time)?: writer.string(time.rfc3339)
      }
    }
    writer.endObject()
    return String(decoding: writer.bytes, as: UTF8.self)
  }

  static func text(_ value: FieldValue?, forTerminal: Bool) -> String {
    let text: String
    switch value {
    case nil: return forTerminal ? "-" : ""
    case .string(let string)?: text = string
    case .integer(let number)?: return String(number)
    case .double(let number)?: return String(number)
    case .time(let time)?: return time.rfc3339
    }
    return forTerminal ? Printable.text(text) : text
  }

  static func tableLine(_ cells: [String], _ widths: [Int]) -> String {
    zip(cells, widths).map { cell, width in
      let shown = cell.count > width ? String(cell.prefix(max(1, width - 1))) + "…" : cell
      return shown + String(repeating: " ", count: max(0, width - shown.count))
    }.joined(separator: "  ").trimmingTrailingSpaces()
  }
}

extension String {
  fileprivate func trimmingTrailingSpaces() -> String {
    var result = self
    while result.last == " " { result.removeLast() }
    return result
  }
}
