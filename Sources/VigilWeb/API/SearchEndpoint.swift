import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import VigilBase
import VigilCore
import VigilDashboards
import VigilFormats
import VigilJSON
import VigilQuery

extension APIRoutes {
  enum Format: String { case json, ndjson, csv }

  /// `GET /api/search?q=…&last=…&format=json|ndjson|csv&limit=N`. Aggregations answer at once; listings
  /// stream as the store reads them, in blocks of about 64 KiB, so a large export starts at once.
  func search(_ request: Request) async throws -> Response {
    let parameters = WebApp.parameters(request)
    guard let format = Format(rawValue: parameters["format"] ?? "json") else {
      return WebResponse.json(.badRequest, ["error": "format must be json, ndjson or csv"])
    }
    if let problem = Self.windowProblem(parameters) { return WebResponse.json(.badRequest, ["error": problem]) }
    if (parameters["q"]?.count ?? 0) > 10_000 {
      return WebResponse.json(.badRequest, ["error": "q is at most 10,000 characters"])
    }
    var limit = Self.defaultLimit
    if let text = parameters["limit"] {
      guard let value = Int(text), (1...Self.mostRows).contains(value) else {
        return WebResponse.json(.badRequest, ["error": "limit must be a whole number from 1 to \(Self.mostRows)"])
      }
      limit = value
    }
    let window = TimeWindow(parameters: parameters)
    let now = app.now
    guard let range = window.resolved(now: now) else {
      return WebResponse.json(.badRequest, ["error": "the time range cannot be read; use last=24h or from/to"])
    }
    var plan: SearchPlan
    do {
      plan = try Search.plan(parameters["q"] ?? "", range: range, now: now)
    } catch {
      return WebResponse.json(.badRequest, ["error": error.description])
    }
    plan.limit = min(plan.limit ?? limit, limit)
    let columns = plan.resultColumns.map(\.name)
    let contentType: String =
      switch format {
      case .json: "application/json"
      case .ndjson: "application/x-ndjson"
      case .csv: "text/csv; charset=utf-8"
      }
    var headers: HTTPFields = [.contentType: contentType]
    if format == .csv { headers[.contentDisposition] = "attachment; filename=\"vigil-search.csv\"" }
    if plan.aggregation != nil {
      let result = try await app.storeCall { try await Search.run(plan, on: app.store) }
      var bytes = Self.header(columns, format: format)
      for (index, row) in result.rows.enumerated() {
        bytes += Self.encode(row, columns: columns, format: format, first: index == 0)
      }
      bytes += Self.footer(format)
      return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
    let store = app.store
    let (blocks, continuation) = AsyncStream.makeStream(of: [UInt8].self)
    let encoder = BlockEncoder(columns: columns, format: format, continuation: continuation)
    let reader = Task {
      do {
        try await store.list(plan) { row in encoder.add(row) }
      } catch {
        encoder.fail("\(error)")
      }
      encoder.finish()
    }
    return Response(
      status: .ok, headers: headers,
      body: ResponseBody { writer in
        try await withTaskCancellationHandler {
          do {
            try await writer.write(ByteBuffer(bytes: Self.header(columns, format: format)))
            for await block in blocks { try await writer.write(ByteBuffer(bytes: block)) }
            try await writer.finish(nil)
          } catch {
            // The client went away: stop reading the store instead of buffering what nobody will get.
            encoder.stop()
            reader.cancel()
            throw error
          }
        } onCancel: {
          reader.cancel()
          encoder.stop()
        }
      })
  }

  static func header(_ columns: [String], format: Format) -> [UInt8] {
    switch format {
    case .json:
      var writer = JSONWriter()
      writer.beginObject()
      writer.key("columns")
      writer.beginArray()
      for column in columns { writer.string(column) }
      writer.endArray()
      return writer.bytes + Array(",\"rows\":[".utf8)
    case .ndjson: return []
    case .csv: return Array((columns.map(CSVCell.escape).joined(separator: ",") + "\r\n").utf8)
    }
  }

  static func footer(_ format: Format) -> [UInt8] { format == .json ? Array("]}".utf8) : [] }

  static func encode(_ row: ResultRow, columns: [String], format: Format, first: Bool) -> [UInt8] {
    switch format {
    case .json:
      var writer = JSONWriter()
      writer.beginArray()
      for value in row { write(value, to: &writer) }
      writer.endArray()
      return (first ? [] : [UInt8(ascii: ",")]) + writer.bytes
    case .ndjson:
      var writer = JSONWriter()
      writer.beginObject()
      for (column, value) in zip(columns, row) {
        writer.key(column)
        write(value, to: &writer)
      }
      writer.endObject()
      return writer.bytes + [UInt8(ascii: "\n")]
    case .csv:
      return Array((row.map { CSVCell.escape(CellText.text($0)) }.joined(separator: ",") + "\r\n").utf8)
    }
  }

  static func write(_ value: FieldValue?, to writer: inout JSONWriter) {
    switch value {
    case nil: writer.null()
    case .string(let text)?: writer.string(text)
    case .integer(let number)?: writer.int(Int(number))
    case .double(let number)?: writer.double(number)
    case .time(let time)?: writer.string(time.rfc3339)
    }
  }
}

/// Turns streamed rows into blocks for the response; the store's read stops when the client goes.
final class BlockEncoder: Sendable {
  private struct State {
    var block: [UInt8] = []
    var first = true
    var stopped = false
  }

  private let state = Mutex(State())
  let columns: [String]
  let format: APIRoutes.Format
  let continuation: AsyncStream<[UInt8]>.Continuation

  init(columns: [String], format: APIRoutes.Format, continuation: AsyncStream<[UInt8]>.Continuation) {
    self.columns = columns
    self.format = format
    self.continuation = continuation
  }

  func add(_ row: ResultRow) -> Bool {
    state.withLock { state in
      guard !state.stopped else { return false }
      state.block += APIRoutes.encode(row, columns: columns, format: format, first: state.first)
      state.first = false
      if state.block.count >= 64 * 1024 {
        continuation.yield(state.block)
        state.block = []
      }
      return true
    }
  }

  /// A store failure after the first bytes went out: the stream ends with a line that says so (JSON
  /// stays unterminated, so no client mistakes it for a whole result).
  func fail(_ message: String) {
    state.withLock { state in
      var writer = JSONWriter()
      writer.beginObject()
      writer.key("error")
      writer.string(message)
      writer.endObject()
      state.block += [UInt8(ascii: "\n")] + writer.bytes
      state.stopped = true
    }
  }

  func finish() {
    state.withLock { state in
      if !state.stopped || !state.block.isEmpty {
        if !state.stopped { state.block += APIRoutes.footer(format) }
        continuation.yield(state.block)
        state.block = []
      }
      state.stopped = true
    }
    continuation.finish()
  }

  func stop() { state.withLock { $0.stopped = true } }
}
