import GRDB
import GRDBSQLite
import VigilCore
import VigilEventsAPIModel

/// Binds an event's catalog fields straight to the prepared insert (no intermediate values per field):
/// ingest spends most of its time here.
enum RowBinder {
  /// SQLite copies the bytes it is given.
  static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

  /// The catalog's readers alone, in column order. Iterating the fields themselves would copy each
  /// ``Field`` (eight reference-counted members) per column per event: a profile showed it.
  private static let columnValues = FieldCatalog.fields.map(\.value)
  private static let ipValues = Schema.ipFields.map(\.value)

  /// The duplicate check: rows with the event's identity hash whose identity is really the event's.
  static let existsSQL = """
    SELECT 1 FROM events WHERE \(EventIdentity.column) = ?1 AND \(FieldCatalog.uuid.column) = ?2 \
    AND \(FieldCatalog.account.column) = ?3 AND \(FieldCatalog.stream.column) = ?4 LIMIT 1
    """

  /// Inserts one event; false when it was already stored (the duplicate check runs first: the table
  /// has no unique constraint on the identity, see ``EventIdentity``).
  static func insert(
    _ event: CanonicalEvent, with statement: SQLiteStatement, exists: SQLiteStatement, connection: OpaquePointer?
  ) throws -> Bool {
    let identity = EventIdentity.hash(event)
    sqlite3_reset(exists)
    sqlite3_bind_int64(exists, 1, identity)
    bind(event.uuid, to: exists, at: 2)
    bind(event.account, to: exists, at: 3)
    bind(event.stream.rawValue, to: exists, at: 4)
    let found = sqlite3_step(exists)
    sqlite3_reset(exists)
    guard found == SQLITE_DONE else {
      if found == SQLITE_ROW { return false }
      throw failure(found, connection)
    }
    sqlite3_reset(statement)
    var index: Int32 = 1
    for value in columnValues {
      switch value(event) {
      case nil: sqlite3_bind_null(statement, index)
      case .string(let string): bind(string, to: statement, at: index)
      case .integer(let integer): sqlite3_bind_int64(statement, index, integer)
      case .double(let double): sqlite3_bind_double(statement, index, double)
      case .time(let time): sqlite3_bind_int64(statement, index, FieldValue.nanoseconds(time))
      }
      index += 1
    }
    for value in ipValues {
      if case .string(let text)? = value(event), let address = IPAddress(text) {
        address.bytes.withUnsafeBytes { bytes in
          _ = sqlite3_bind_blob(statement, index, bytes.baseAddress, Int32(bytes.count), transient)
        }
      } else {
        sqlite3_bind_null(statement, index)
      }
      index += 1
    }
    sqlite3_bind_int64(statement, index, identity)
    index += 1
    event.raw.withUnsafeBytes { bytes in
      _ = sqlite3_bind_blob(
        statement, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), transient)
    }
    let code = sqlite3_step(statement)
    sqlite3_reset(statement)
    guard code == SQLITE_DONE else { throw failure(code, connection) }
    return true
  }

  /// The error of a failed step, with SQLite's message.
  static func failure(_ code: Int32, _ connection: OpaquePointer?) -> DatabaseError {
    DatabaseError(
      resultCode: ResultCode(rawValue: code), message: connection.map { String(cString: sqlite3_errmsg($0)) })
  }

  static func bind(_ text: String, to statement: SQLiteStatement, at index: Int32) {
    var text = text
    text.withUTF8 { _ = sqlite3_bind_text(statement, index, $0.baseAddress, Int32($0.count), transient) }
  }
}
