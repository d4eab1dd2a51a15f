import ArgumentParser
import Foundation
import VigilBase
import VigilConfig
import VigilCore
import VigilEventsAPI
import VigilQuery
import VigilRuntime

/// `vigil search 'QUERY'`: the query language from the command line (see `docs/query.md`).
struct SearchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search", abstract: "Search stored events with the query language (see docs/query.md).",
    discussion: """
      Examples:
        vigil search 'signin outcome:failure' --last 24h
        vigil search 'signin outcome:failure | top 10 user' --last 7d
        vigil search 'itemusage | count by action, app' --from 2026-11-01 --to 2026-11-08
        vigil search 'signin | timechart span=1h count by outcome | compare 1d' --last 2d --format csv
      """)

  @OptionGroup var config: ConfigOptions
  @Argument(help: "The query; empty lists the newest events.") var query: String = ""
  @Option(help: "Events from this time: 2026-11-01, 2026-11-01T09:30:00Z, now-7d, today, yesterday.")
  var from: String?
  @Option(help: "Events before this time (same forms as --from).") var to: String?
  @Option(help: "Events of the last span: 15m, 24h, 7d, 4w (instead of --from).") var last: String?
  @Option(help: "table (default on a terminal), json, ndjson (default otherwise) or csv.")
  var format: OutputFormat?
  @Flag(help: "Print the SQL and SQLite's query plan instead of running the search.") var explain = false

  enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, ndjson, csv
  }

  func run() async throws {
    let configuration = try config.load()
    let now = FieldValue.nanoseconds(SystemClock().now)
    let range = try TimeArguments.range(from: from, to: to, last: last, now: now)
    let format = self.format ?? (isatty(STDOUT_FILENO) == 1 ? .table : .ndjson)
    // A listing on a terminal shows the summary columns; machine formats get every field.
    let defaults = format == .table ? Planner.summaryFields : FieldCatalog.fields.map(\.name)
    let plan: SearchPlan
    do {
      plan = try Search.plan(query, range: range, now: now, defaultFields: defaults)
    } catch {
      FileHandle.standardError.write(Data((error.description + "\n").utf8))
      throw ExitCode(2)
    }
    for hint in plan.hints { FileHandle.standardError.write(Data(("hint: " + hint + "\n").utf8)) }
    guard
      let opened = try await StoreOpener.openExisting(configuration.storage, password: configuration.storagePassword)
    else {
      throw UserError(
        "no store at \(configuration.storage) yet: run `vigil run` or `vigil collect` (or `vigil demo`) first")
    }
    defer { opened.close() }
    let store = opened.store
    if explain {
      do {
        for line in try await store.explain(plan) { say(line) }
      } catch {
        throw UserError(error.description)
      }
      return
    }
    let columns = plan.resultColumns
    let writer = ResultWriter(format: ResultWriter.Format(rawValue: format.rawValue) ?? .ndjson, columns: columns)
    do throws(SearchError) {
      if plan.aggregation == nil {
        // Listings stream: rows are written as SQLite reads them.
        do {
          try await store.list(plan) { row in
            writer.write(row)
            return true
          }
        } catch {
          throw .store(error)
        }
      } else {
        for row in try await Search.run(plan, on: store).rows { writer.write(row) }
      }
    } catch {
      throw UserError(error.description)
    }
    writer.finish()
  }
}
