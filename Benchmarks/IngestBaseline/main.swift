import Foundation
import GRDBSQLite
import VigilSQLite

// The store's own limit, for the ingest benchmark: the rows a collector stored, inserted again into a
// fresh database with the same schema by a minimal prepared-statement loop (no HTTP, no JSON, no
// normalization), in transactions of as many rows as the collector commits while behind
// (`CollectorOptions.eventsPerCommit`, 5,000 by default).
// Usage: IngestBaseline SOURCE.db TARGET.db [ROWS_PER_TRANSACTION]   → prints one JSON line.

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data((message + "\n").utf8))
  exit(1)
}

enum Value {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)
  case blob([UInt8])
}

func check(_ code: Int32, _ db: OpaquePointer?, _ what: String) {
  if code != SQLITE_OK && code != SQLITE_DONE && code != SQLITE_ROW {
    fail("\(what): \(String(cString: sqlite3_errmsg(db)))")
  }
}

let arguments = CommandLine.arguments
guard arguments.count == 3 || arguments.count == 4 else {
  fail("usage: IngestBaseline SOURCE.db TARGET.db [ROWS_PER_TRANSACTION]")
}
let perTransaction = arguments.count == 4 ? Int(arguments[3]) ?? 5_000 : 5_000

// Create the target with the store's own schema.
do {
  try SQLiteEventStore(path: arguments[2]).close()
} catch {
  fail("cannot create \(arguments[2]): \(error)")
}

var source: OpaquePointer?
check(sqlite3_open_v2(arguments[1], &source, SQLITE_OPEN_READONLY, nil), source, "open source")
var select: OpaquePointer?
check(sqlite3_prepare_v2(source, "SELECT * FROM events ORDER BY sequence", -1, &select, nil), source, "select")
let columnCount = sqlite3_column_count(select)
var columns: [String] = []
for index in 1..<columnCount { columns.append(String(cString: sqlite3_column_name(select, index))) }
var rows: [[Value]] = []
while sqlite3_step(select) == SQLITE_ROW {
  var row: [Value] = []
  row.reserveCapacity(columns.count)
  for index in 1..<columnCount {
    switch sqlite3_column_type(select, index) {
    case SQLITE_INTEGER: row.append(.integer(sqlite3_column_int64(select, index)))
    case SQLITE_FLOAT: row.append(.real(sqlite3_column_double(select, index)))
    case SQLITE_TEXT: row.append(.text(String(cString: sqlite3_column_text(select, index))))
    case SQLITE_BLOB:
      let count = Int(sqlite3_column_bytes(select, index))
      let pointer = sqlite3_column_blob(select, index)
      row.append(.blob(pointer.map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? []))
    default: row.append(.null)
    }
  }
  rows.append(row)
}
sqlite3_finalize(select)
sqlite3_close(source)

var target: OpaquePointer?
check(sqlite3_open_v2(arguments[2], &target, SQLITE_OPEN_READWRITE, nil), target, "open target")
check(
  sqlite3_exec(target, "PRAGMA journal_mode = WAL; " + SQLiteEventStore.connectionPragmas, nil, nil, nil), target,
  "pragma")
let sql =
  "INSERT INTO events (\(columns.joined(separator: ", "))) VALUES ("
  + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ") ON CONFLICT DO NOTHING"
var insert: OpaquePointer?
check(sqlite3_prepare_v2(target, sql, -1, &insert, nil), target, "prepare")
// The store's duplicate check, as the store runs it before each insert.
var exists: OpaquePointer?
check(
  sqlite3_prepare_v2(
    target,
    "SELECT 1 FROM events WHERE event_identity = ?1 AND event_uuid = ?2 AND event_account = ?3 AND event_stream = ?4",
    -1, &exists, nil), target, "prepare the duplicate check")
let identityColumns = ["event_identity", "event_uuid", "event_account", "event_stream"].map { name in
  guard let index = columns.firstIndex(of: name) else { fail("the source has no \(name) column") }
  return index
}
let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

func cpuSeconds() -> Double {
  var usage = rusage()
  #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
  #else
    getrusage(RUSAGE_SELF, &usage)
  #endif
  return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
    + Double(usage.ru_stime.tv_usec) / 1e6
}

let cpuStart = cpuSeconds()
let wallStart = Date()
for (position, row) in rows.enumerated() {
  if position % perTransaction == 0 { check(sqlite3_exec(target, "BEGIN", nil, nil, nil), target, "begin") }
  for (slot, column) in identityColumns.enumerated() {
    switch row[column] {
    case .integer(let integer): sqlite3_bind_int64(exists, Int32(slot + 1), integer)
    case .text(let text): sqlite3_bind_text(exists, Int32(slot + 1), text, -1, transient)
    default: sqlite3_bind_null(exists, Int32(slot + 1))
    }
  }
  if sqlite3_step(exists) == SQLITE_ROW { fail("duplicate row in the source") }
  sqlite3_reset(exists)
  for (index, value) in row.enumerated() {
    let slot = Int32(index + 1)
    switch value {
    case .null: sqlite3_bind_null(insert, slot)
    case .integer(let integer): sqlite3_bind_int64(insert, slot, integer)
    case .real(let real): sqlite3_bind_double(insert, slot, real)
    case .text(let text): sqlite3_bind_text(insert, slot, text, -1, transient)
    case .blob(let bytes):
      bytes.withUnsafeBytes { _ = sqlite3_bind_blob(insert, slot, $0.baseAddress, Int32($0.count), transient) }
    }
  }
  check(sqlite3_step(insert), target, "insert")
  sqlite3_reset(insert)
  if position % perTransaction == perTransaction - 1 || position == rows.count - 1 {
    check(sqlite3_exec(target, "COMMIT", nil, nil, nil), target, "commit")
  }
}
let wall = Date().timeIntervalSince(wallStart)
let cpu = cpuSeconds() - cpuStart
sqlite3_finalize(insert)
sqlite3_finalize(exists)
sqlite3_close(target)
print(#"{"rows": \#(rows.count), "seconds": \#(wall), "cpu_seconds": \#(cpu)}"#)
