import ArgumentParser
import Foundation
import HummingbirdBcrypt
import Logging
import VigilBase
import VigilConfig
import VigilCore
import VigilEmulator
import VigilEmulatorCore
import VigilRuntime
import VigilWeb

/// `vigil demo`: everything offline in one command. Serves an emulated organisation (30 days,
/// 200 users, attack scenarios on) and runs Vigil against it (`vigil run`) into a fresh store.
struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo", abstract: "Run Vigil offline: emulate an organisation and collect it into a local store.")

  @Option(help: "Directory for the demo's files (default: a new private temporary directory).")
  var directory: String?
  @Option(help: "Port of the emulated API (taken if free, else any free port).") var port = 8787
  @Option(help: "Port of the web app on 127.0.0.1 (taken if free, else any free port).") var webPort = 8080
  @Flag(help: "Add events full of markup, bidi overrides and 10 kB strings (to see that every page shows them inert).")
  var hostileData = false
  @OptionGroup var logging: LoggingOptions

  func run() async throws {
    var logger = logging.bootstrap(label: "vigil.demo")
    if logging.logLevel == .info { logger.logLevel = .warning }
    let directory = try self.directory.map(Self.prepare) ?? Self.privateDirectory()
    var emulatorOptions = try EmulatorSettings.parse([]).options()
    if hostileData { emulatorOptions.scenarios.append(.hostileData) }
    let engine = try EmulatorHost.makeEngine(emulatorOptions)
    let emulator: RunningEmulator
    do {
      emulator = try await RunningEmulator.start(engine: engine, port: port, logger: logger)
    } catch {
      emulator = try await RunningEmulator.start(engine: engine, port: 0, logger: logger)
    }
    do {
      try await collect(emulator: emulator, engine: engine, directory: directory, logger: logger)
    } catch {
      await emulator.stop()
      throw error
    }
    await emulator.stop()
    say("Demo stopped; its files stay in \(directory).")
  }

  private func collect(emulator: RunningEmulator, engine: EmulatorEngine, directory: String, logger: Logger)
    async throws
  {
    let configPath = directory + "/vigil.yaml"
    do {
      try AtomicFile.write(engine.issueToken().token + "\n", to: directory + "/demo-token.jwt", mode: 0o600)
      try DemoEnrichment.write(to: directory)
    } catch {
      throw UserError("cannot write the demo's files in \(directory): \(error)")
    }
    // A one-time password for the web app: only its hash is written; the password is printed once.
    let password = SecureToken.make(bytes: 12)
    let apiToken = "vgl_" + SecureToken.make(bytes: 24)
    let webPort = PortProbe.isFree(self.webPort) ? self.webPort : 0
    let text = Self.configuration(
      url: emulator.baseURL, webPort: webPort, passwordHash: Bcrypt.hash(password, cost: 10),
      apiTokenHash: SecureToken.tokenHash(apiToken))
    let configuration: VigilConfiguration
    do {
      try AtomicFile.write(text, to: configPath, mode: 0o600)
      // Loaded from the text just written: nothing can swap the file in between.
      configuration = try ConfigLoader(file: configPath, environment: [:]).load(text)
    } catch {
      throw UserError("the demo's own configuration cannot be written or is invalid: \(error)")
    }
    let vigil = Self.invocation()
    let config = "--config " + Shell.quote(configPath)
    say("Vigil demo: an emulated 1Password Business account (30 days, 200 users, attack scenarios)")
    say("  Events API emulator: \(emulator.baseURL)")
    say("  collecting into:     \(directory)/vigil.db")
    say("  configuration:       \(configPath)")
    say("In another terminal:")
    say("  \(vigil) status \(config)")
    say("  \(vigil) search \(config) 'signin outcome:failure | top 10 user'")
    say("  \(vigil) search \(config) 'itemusage | count by action, app' --last 7d")
    say("  \(vigil) search \(config) 'signin | timechart span=1d count by outcome | compare 1d' --last 7d")
    say("  \(vigil) search \(config) 'threat.feed:* | count by threat.feed, user'")
    say("  \(vigil) alerts list \(config) --severity high")
    say("  \(vigil) rules list")
    say("  \(vigil) export \(config) --format ecs --last 1d -o last-day.ecs.ndjson")
    say("Stop with Ctrl-C.")
    var options = RuntimeOptions.current()
    options.environment = [:]
    options.detection = true
    options.web = true
    options.sinks = true
    options.webRunning = { port in
      say(
        "Web app: http://127.0.0.1:\(port)/  (user: demo, password: \(password); shown once, only its hash is stored)")
      say("  JSON API: curl -H 'Authorization: Bearer \(apiToken)' http://127.0.0.1:\(port)/api/health")
    }
    options.configFile = configPath
    let display = ProgressDisplay(logger: logger, clock: options.clock) { events, seconds in
      say("Backfill complete: \(events.grouped) events in \(Int(seconds.rounded())) s; tailing the API every 10 s.")
    }
    let report = DemoAlertReport(
      storage: configuration.storage, listCommand: "\(vigil) alerts list \(config)", clock: options.clock)
    try await Collection.run(
      configuration, options: options, logger: logger, display: display, extraServices: [report])
  }

  /// How to run this same binary from a shell: its absolute path (after `swift run` no `vigil` is on
  /// the PATH), or plain `vigil` when that is what the PATH finds.
  static func invocation() -> String {
    let path =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? ""
    for directory in searchPath.split(separator: ":") {
      let candidate = String(directory) + "/vigil"
      if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: candidate), resolved == path {
        return "vigil"
      }
      if candidate == path { return "vigil" }
    }
    return Shell.quote(path)
  }

  static func configuration(url: String, webPort: Int, passwordHash: String, apiTokenHash: String) -> String {
    """
    # Written by `vigil demo`: collects the emulated organisation. Relative paths are relative to this file.
    data_dir: .
    storage:
      url: sqlite:vigil.db
    retention:
      days: 365
    collector:
      poll_interval: 10s
    web:
      listen: 127.0.0.1:\(webPort)
      users:
        - name: demo
          password_hash: '\(passwordHash)'
      api_tokens:
        - name: demo
          token_hash: \(apiTokenHash)
    accounts:
      - name: demo
        token_file: demo-token.jwt
        url: \(url)
    # Offline stand-ins for GeoLite2 City/ASN, Tor exit and threat feeds (see docs/enrichment.md).
    \(DemoEnrichment.configuration)
    # A sink (docs/sinks.md): every alert change and every failed event, as NDJSON, the way a SIEM's file
    # input would read them. `vigil sinks status` and the Health page show how it is going.
    sinks:
      - name: outbox
        type: file
        path: forwarded.ndjson
        format: raw
        filter: "stream:alerts OR outcome:failure"
        rotate_every: 1d
    """
  }

  /// A new directory only this user can read, with an unpredictable name.
  static func privateDirectory() throws -> String {
    var template = Array((FileManager.default.temporaryDirectory.path + "/vigil-demo-XXXXXX").utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
    guard let made else {
      throw UserError("cannot create a private temporary directory: \(String(cString: strerror(errno)))")
    }
    return String(cString: made)
  }

  /// A directory the user named: created private if missing; an existing one must be this user's and
  /// empty (another user's directory could hold planted symlinks; a used one, another demo).
  static func prepare(_ directory: String) throws -> String {
    var status = stat()
    if lstat(directory, &status) == 0 {
      guard (status.st_mode & S_IFMT) == S_IFDIR else {
        throw UserError("\(directory) exists and is not a directory; choose a new --directory")
      }
      guard status.st_uid == getuid() else {
        throw UserError("\(directory) belongs to another user; choose a directory of your own")
      }
      let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
      guard entries.isEmpty else {
        throw UserError("\(directory) is not empty; choose an empty or new --directory")
      }
      return directory
    }
    do {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw UserError("cannot create \(directory): \(TokenSource.reason(error))")
    }
    return directory
  }
}

/// Words for a POSIX shell.
enum Shell {
  /// `text` as one shell word: bare when it is plainly safe, else in single quotes.
  static func quote(_ text: String) -> String {
    let safe = text.unicodeScalars.allSatisfy {
      ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9")
        || "/._-+:,=@".unicodeScalars.contains($0)
    }
    if safe, !text.isEmpty { return text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}

/// Whether a TCP port on 127.0.0.1 is free to listen on (checked by binding it briefly).
enum PortProbe {
  static func isFree(_ port: Int) -> Bool {
    guard (1...65_535).contains(port) else { return false }
    let handle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard handle >= 0 else { return false }
    defer { close(handle) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(handle, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    return bound == 0
  }
}
