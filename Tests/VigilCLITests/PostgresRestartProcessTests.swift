import Foundation
import Testing
import VigilBase
import VigilCore
import VigilEmulator
import VigilEmulatorCore
import VigilEventsAPIModel
import VigilPostgres
import VigilTestSupport

/// `vigil run` on PostgreSQL while the server restarts: it carries on when the server is back,
/// collecting what came meanwhile and judging it, without being restarted itself.
@Suite struct PostgresRestartProcessTests {
  /// A PostgreSQL cluster of this test's own (the shared test server must not restart under others).
  struct Cluster {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("scripts/postgres").path
    let directory: String

    /// Starts it (on `port` when given); returns its URL.
    func start(port: Int? = nil) async throws -> String {
      var environment = ProcessInfo.processInfo.environment
      if let port { environment["VIGIL_POSTGRES_SETTINGS"] = "-p \(port)" }
      let output = try await Self.run(["start", directory], environment: environment)
      guard let url = output.split(separator: "\n").last.map(String.init), url.hasPrefix("postgres://") else {
        throw FixtureError("scripts/postgres start printed no URL: \(output)")
      }
      // The port the server listens on: the last -p given wins.
      return port.map { url.replacingOccurrences(of: ":\(Self.port(url) ?? 0)/", with: ":\($0)/") } ?? url
    }

    /// The server's process id (postmaster.pid): a restart changes it.
    func serverProcess() throws -> String {
      try String(contentsOfFile: directory + "/data/postmaster.pid", encoding: .utf8).split(separator: "\n").first
        .map(String.init) ?? ""
    }

    func halt() async throws {
      _ = try await Self.run(["halt", directory], environment: ProcessInfo.processInfo.environment)
    }

    func stop() async {
      _ = try? await Self.run(["stop", directory], environment: ProcessInfo.processInfo.environment)
    }

    static func port(_ url: String) -> Int? {
      guard let host = url.split(separator: "@").last,
        let port = host.split(separator: ":").last?.split(separator: "/").first
      else { return nil }
      return Int(port)
    }

    /// Runs the script to its end on a thread of its own (waiting must not hold one of Swift
    /// concurrency's few threads).
    private static func run(_ arguments: [String], environment: [String: String]) async throws -> String {
      try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
          continuation.resume(with: Result { try runBlocking(arguments, environment: environment) })
        }
      }
    }

    /// Spawns the script and waits for it with `waitpid`. Not Foundation's `Process`: it left this
    /// script unreaped (a zombie) once the server it starts had detached, and waited forever. Its
    /// output goes through a file, and the descriptors of this process stay out of the server.
    private static func runBlocking(_ arguments: [String], environment: [String: String]) throws -> String {
      let output = try TemporaryDirectory()
      let path = output.path + "/output"
      var actions = posix_spawn_file_actions_t()
      posix_spawn_file_actions_init(&actions)
      defer { posix_spawn_file_actions_destroy(&actions) }
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
      posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
      posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
      // Through bash, which first closes every descriptor above 2 (posix_spawn keeps them open).
      let closeTheRest =
        #"for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done 2>/dev/null; exec "$0" "$@""#
      let argv = (["bash", "-c", closeTheRest, script] + arguments).map { strdup($0) } + [nil]
      let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
      defer { (argv + envp).forEach { free($0) } }
      var pid: pid_t = 0
      let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, argv, envp)
      guard spawned == 0 else { throw FixtureError("cannot run scripts/postgres: error \(spawned)") }
      var status: Int32 = 0
      while waitpid(pid, &status, 0) == -1, errno == EINTR {}
      // Exited normally with status 0 (the wait status layout of Linux).
      guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
        throw FixtureError("scripts/postgres \(arguments[0]) failed (wait status \(status))")
      }
      return try String(contentsOfFile: path, encoding: .utf8)
    }
  }

  @Test func aRunCarriesOnAcrossAServerRestart() async throws {
    let directory = try TemporaryDirectory()
    let cluster = Cluster(directory: directory.path + "/pg")
    var options = EmulatorOptions()
    options.users = 15
    options.days = 3
    options.seed = 3
    options.limits = RateLimits(perMinute: 1_000_000, perHour: 10_000_000)
    let clock = ManualClock(start: Timestamp(epochSeconds: Date().timeIntervalSince1970))
    let engine = try EmulatorEngine(options: options, clock: clock)
    let emulator = try await RunningEmulator.start(engine: engine)
    var run: Process?
    let result: Result<Void, any Error>
    do {
      let url = try await cluster.start()
      let port = try #require(Cluster.port(url))
      try AtomicFile.write(try engine.issueToken().token + "\n", to: directory.path + "/acme.jwt", mode: 0o600)
      let yaml = """
        data_dir: .
        storage:
          url: \(url)
        collector:
          poll_interval: 1s
          lease: 3s
        accounts:
          - name: acme
            token_file: acme.jwt
            url: \(emulator.baseURL)
        """
      try AtomicFile.write(yaml, to: directory.path + "/vigil.yaml", mode: 0o600)
      let process = try start(["run", "--config", directory.path + "/vigil.yaml"], in: directory.path)
      run = process
      let store = try await PostgresEventStore(PostgresSettings(url: url))
      defer { store.close() }
      try await until(process, "caught up and judged before the restart", in: directory.path) {
        try await done(store, engine: engine)
      }
      let before = try cluster.serverProcess()

      try await cluster.halt()
      try await Task.sleep(for: .seconds(3))
      _ = try await cluster.start(port: port)
      // A day passes on the emulator: new events for the restarted store.
      engine.advanceClock(seconds: 86_400)
      try await until(process, "carried on after the restart", in: directory.path) {
        try await done(store, engine: engine)
      }
      #expect(try cluster.serverProcess() != before, "the server restarted")
      #expect(process.isRunning, "vigil run carried on by itself")
      process.interrupt()
      await process.exited()
      #expect(process.terminationStatus == 0, "\(log(directory.path))")
      result = .success(())
    } catch {
      result = .failure(error)
    }
    if let run, run.isRunning { kill(run.processIdentifier, SIGKILL) }
    await cluster.stop()
    await emulator.stop()
    try result.get()
  }

  /// Every stream holds the emulator's ground truth as of now, and detection has judged it all.
  func done(_ store: PostgresEventStore, engine: EmulatorEngine) async throws -> Bool {
    for stream in EventStream.allCases {
      let stored = try await store.eventCount(StreamKey(account: "acme", stream: stream))
      guard stored == engine.groundTruth(stream: stream).count else { return false }
    }
    let newest = try await store.newestSequence()
    return try await store.detectionState("detection").map { $0.sequence >= newest } ?? false
  }

  func until(
    _ process: Process, _ what: String, in directory: String, _ condition: () async throws -> Bool
  ) async throws {
    let deadline = ContinuousClock.now + .seconds(240)
    while ContinuousClock.now < deadline, process.isRunning {
      // The store may be down for a moment: a failed look is a look that says no.
      if (try? await condition()) == true { return }
      try await Task.sleep(for: .milliseconds(250))
    }
    throw FixtureError("vigil run never \(what): \(log(directory))")
  }

  func start(_ arguments: [String], in directory: String) throws -> Process {
    let process = Process()
    process.executableURL = VigilProcess.binary
    process.arguments = arguments + ["--log-level", "warning"]
    _ = FileManager.default.createFile(atPath: directory + "/run.log", contents: nil)
    let log = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/run.log"))
    process.standardOutput = log
    process.standardError = log
    process.standardInput = FileHandle.nullDevice
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    try process.run()
    return process
  }

  func log(_ directory: String) -> String {
    String((try? String(contentsOfFile: directory + "/run.log", encoding: .utf8))?.suffix(3_000) ?? "")
  }
}
