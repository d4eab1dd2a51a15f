import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import VigilBase
import VigilEmulator
import VigilEmulatorCore
import VigilEventsAPI
import VigilEventsAPIModel
import VigilJSON
import VigilRuntime

/// `vigil emulator`: a faithful Events API on a loopback port, with a synthetic organisation.
struct EmulatorCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "emulator",
    abstract: "Serve an emulated 1Password Events API with a synthetic organisation.",
    subcommands: [EmulatorServeCommand.self, EmulatorTokenCommand.self],
    defaultSubcommand: EmulatorServeCommand.self)
}

/// The options that shape the emulated organisation and API, shared with `vigil demo`.
struct EmulatorSettings: ParsableArguments {
  @Option(help: "Address to listen on (loopback unless --allow-remote).") var host = "127.0.0.1"
  @Flag(
    help:
      "Listen on a non-loopback address. Anyone who can reach it gets the emulated data (and --replay may serve real data)."
  )
  var allowRemote = false
  @Option(help: "Port to listen on (0 picks a free one).") var port = 8787
  @Option(help: "Seed of the synthetic organisation (same seed, same data).") var seed: UInt64 = 1
  @Option(
    help:
      "Derive the token signing key from this secret number, so tokens stay valid across restarts (default: a random key per process)."
  )
  var tokenKeySeed: UInt64?
  @Option(help: "Days of history.") var days = 30
  @Option(help: "Users per account.") var users = 200
  @Option(help: "Accounts (more than one: the first is an MSP managing the others).") var accounts = 1
  @Option(help: "Attack scenarios: all, none, or a comma-separated list.") var scenarios = "all"
  @Option(
    parsing: .singleValue,
    help: "Serve raw API items from an NDJSON file: STREAM=FILE, or a file whose name contains the stream.")
  var replay: [String] = []
  @Option(help: "Faults: kind=rate,… with kinds 500 502 503 504 slow reset truncate invalid empty, slow-seconds=N.")
  var faults = ""
  @Option(help: "Write a ready all-features token for the first account to this file.") var tokenFile: String?
  @Option(
    help: """
      Write offline enrichment sources for the emulated networks (City and ASN databases, Tor exits, a threat \
      feed, a network lookup) into this directory, and the `enrichment:` section naming them to its enrichment.yaml.
      """)
  var enrichmentDirectory: String?
  @Option(help: "Requests a token may make per minute.") var ratePerMinute = 600
  @Option(help: "Requests a token may make per hour.") var ratePerHour = 30_000
  @Flag(help: "Answer 429 without Retry-After (as the real v1/v2 API may).") var noRetryAfter = false

  func validate() throws {
    guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    guard (1...120).contains(days) else { throw ValidationError("--days must be between 1 and 120") }
    guard (1...100_000).contains(users) else { throw ValidationError("--users must be between 1 and 100000") }
    guard (1...50).contains(accounts) else { throw ValidationError("--accounts must be between 1 and 50") }
    guard ratePerMinute > 0, ratePerHour > 0 else { throw ValidationError("rate limits must be positive") }
  }

  func options() throws -> EmulatorOptions {
    var options = EmulatorOptions()
    options.seed = seed
    options.tokenKeySeed = tokenKeySeed
    options.days = days
    options.users = users
    options.accounts = accounts
    do {
      options.scenarios = try ScenarioName.parse(scenarios)
      options.faults = faults.isEmpty ? FaultPlan() : try FaultPlan(spec: faults)
    } catch let error as ScenarioError {
      throw UserError(error.description)
    } catch let error as FaultSpecError {
      throw UserError(error.description)
    }
    options.limits = RateLimits(perMinute: ratePerMinute, perHour: ratePerHour)
    options.sendRetryAfter = !noRetryAfter
    options.replay = try replay.flatMap(ReplayFile.load)
    return options
  }
}

struct EmulatorServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the emulator (the default).")

  @OptionGroup var settings: EmulatorSettings
  @OptionGroup var logging: LoggingOptions

  func run() async throws {
    let host = settings.host.hasPrefix("[") ? String(settings.host.dropFirst().dropLast()) : settings.host
    guard URLPolicy.isLoopback(host: host.lowercased()) || settings.allowRemote else {
      throw UserError(
        "--host \(settings.host) would expose the emulator beyond this machine (anyone who can reach it gets its "
          + "data, and --replay may serve real data); add --allow-remote if that is what you want")
    }
    let logger = logging.bootstrap(label: "vigil.emulator")
    let engine = try EmulatorHost.makeEngine(settings.options())
    if let directory = settings.enrichmentDirectory {
      do {
        try DemoEnrichment.write(to: directory)
        try AtomicFile.write(DemoEnrichment.configuration, to: directory + "/enrichment.yaml")
      } catch {
        throw UserError("cannot write the enrichment sources in \(directory): \(error)")
      }
      say("Enrichment sources for the emulated networks written to \(directory) (see its enrichment.yaml)")
    }
    try await EmulatorHost.serve(engine: engine, settings: settings, logger: logger) { url in
      say("Emulated Events API listening on \(url)")
    }
  }
}

/// Starting the emulator as a service, shared by `vigil emulator` and `vigil demo`.
enum EmulatorHost {
  static func makeEngine(_ options: EmulatorOptions) throws -> EmulatorEngine {
    do {
      return try EmulatorEngine(options: options, clock: SystemClock())
    } catch {
      throw UserError(error.description)
    }
  }

  static func serve(
    engine: EmulatorEngine, settings: EmulatorSettings, logger: Logger, announce: @escaping @Sendable (String) -> Void
  ) async throws {
    let tokenFile = settings.tokenFile
    let host = settings.host
    let application = EmulatorServer.makeApplication(engine: engine, host: host, port: settings.port, logger: logger) {
      port in
      let url = "http://\(host):\(port)"
      announce(url)
      for account in engine.accounts {
        say("  account \(account.name) (\(account.uuid)), \(account.users) users")
      }
      if let tokenFile {
        do {
          let issued = try engine.issueToken()
          try AtomicFile.write(issued.token + "\n", to: tokenFile, mode: 0o600)
          say("  token for \(issued.accountUUID) written to \(tokenFile)")
          say("  try: vigil token inspect --token-file \(tokenFile) --online --url \(url)")
        } catch {
          logger.error("could not write the token file", metadata: ["path": .string(tokenFile), "error": "\(error)"])
        }
      }
      say("  admin API (loopback only): \(url)/admin/stats, /admin/scenarios, /admin/ground-truth?stream=…")
    }
    let group = ServiceGroup(
      configuration: .init(
        services: [.init(service: application)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    do {
      try await group.run()
    } catch {
      throw UserError(
        "the emulator stopped: \(error); if the port \(settings.port) is in use, choose another with --port")
    }
  }
}

/// Loads `--replay` files: one raw API item per line.
enum ReplayFile {
  static func load(_ argument: String) throws -> [(EventStream, [UInt8])] {
    var path = argument
    var stream: EventStream?
    if let equals = argument.firstIndex(of: "="), let named = EventStream(rawValue: String(argument[..<equals])) {
      stream = named
      path = String(argument[argument.index(after: equals)...])
    } else {
      stream = ReplayStream.fromName(argument)
    }
    guard let stream else {
      throw UserError(
        "cannot tell which stream \(argument) holds: write it as STREAM=FILE (signinattempts, itemusages, auditevents)")
    }
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw UserError("cannot read replay file \(path): \(TokenSource.reason(error))")
    }
    var items: [(EventStream, [UInt8])] = []
    var firstLine: [String: Int] = [:]
    for (number, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
      var bytes = Array(line)
      while let last = bytes.last, last == 0x0D || last == 0x20 || last == 0x09 { bytes.removeLast() }
      if bytes.isEmpty { continue }
      guard let document = try? JSONDocument(bytes: bytes),
        let uuid = WireEvent(stream: stream, json: document.root)?.uuid
      else {
        throw UserError("\(path):\(number + 1): not a JSON object with a uuid")
      }
      if let first = firstLine[uuid] {
        say(
          "note: \(Printable.text(path)):\(number + 1) repeats the uuid of line \(first); both are served, "
            + "as the real API may deliver an event twice")
      } else {
        firstLine[uuid] = number + 1
      }
      items.append((stream, bytes))
    }
    return items
  }
}
