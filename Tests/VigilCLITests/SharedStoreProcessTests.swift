import Foundation
import Testing
import VigilBase
import VigilCore
import VigilEmulator
import VigilEmulatorCore
import VigilEventsAPIModel
import VigilPostgres
import VigilTestSupport

/// Several `vigil collect` processes sharing one PostgreSQL store divide the account × stream units
/// through leases. One is killed with SIGKILL mid-backfill; its units pass to the others once its
/// leases run out.
@Suite struct SharedStoreProcessTests {
  /// The worker processes, so that cleanup reaches them when the test throws.
  final class Workers: @unchecked Sendable {
    var processes: [Process] = []
  }

  @Test func threeCollectorsOneKilledEndWithTheGroundTruthAndNoUnitHadTwoHolders() async throws {
    // Small enough to stay light beside the rest of the suite; slow answers keep the backfill going for
    // several seconds of wall time.
    let accounts = 3
    let setup = try await CollectorProcessTests.Setup(
      faults: "slow=1,slow-seconds=0.25,503=0.02", users: 40, days: 10, accounts: accounts)
    let workers = Workers()
    let result: Result<Void, any Error>
    do {
      let database = try await PostgresTestDatabase.make()
      var yaml = """
        data_dir: .
        storage:
          url: \(database.description)
        collector:
          poll_interval: 1s
          lease: 3s
        accounts:

        """
      let emulated = setup.emulator.engine.accounts
      #expect(emulated.count == accounts)
      for (index, account) in emulated.enumerated() {
        let token = try setup.emulator.engine.issueToken(account: account.uuid).token
        try (token + "\n").write(toFile: setup.directory + "/a\(index).jwt", atomically: false, encoding: .utf8)
        yaml += "  - name: a\(index)\n    token_file: a\(index).jwt\n    url: \(setup.emulator.baseURL)\n"
      }
      try yaml.write(toFile: setup.config, atomically: false, encoding: .utf8)
      let store = try await PostgresEventStore(database)
      defer { store.close() }
      do {
        for _ in 0..<3 { workers.processes.append(try setup.start(["collect", "--until-caught-up"])) }
        let processes = workers.processes
        // Mid-backfill: some events are stored, and the victim holds units: the worker that holds the
        // most. Each process races for every unit, so one that starts before the others (a loaded
        // machine) may hold them all; the others then take its units over.
        var victim: (process: Process, units: [String])?
        let started = Date()
        while victim == nil, Date().timeIntervalSince(started) < 120 {
          try await Task.sleep(for: .milliseconds(50))
          let live = try await store.leases().filter(\.isLive)
          guard try await store.newestSequence() > 100 else { continue }
          victim =
            processes.map { process in
              (
                process: process,
                units: live.filter { $0.holder.hasSuffix(":\(process.processIdentifier)") }.map(\.unit)
              )
            }.filter { !$0.units.isEmpty }.max { $0.units.count < $1.units.count }
        }
        let (killed, victimUnits) = try #require(victim, "no worker held units mid-backfill")
        let killedAt = SystemClock().now
        kill(killed.processIdentifier, SIGKILL)
        for process in processes { await process.exited() }
        #expect(killed.terminationReason == .uncaughtSignal)
        for process in processes where process !== killed {
          #expect(process.terminationStatus == 0, "a surviving worker failed")
        }
        // Exactly the ground truth, once, for every account and stream.
        for (index, account) in emulated.enumerated() {
          for stream in EventStream.allCases {
            let stored = try await store.uuids(StreamKey(account: "a\(index)", stream: stream))
            let truth = setup.emulator.engine.groundTruth(account: account.uuid, stream: stream)
            #expect(stored.count == Set(stored).count, "a\(index)/\(stream): duplicates")
            #expect(Set(stored) == Set(truth), "a\(index)/\(stream): \(stored.count) stored of \(truth.count)")
          }
        }
        // `vigil status` shows who held what.
        let status = try await setup.run(["status", "--config", setup.config])
        #expect(status.status == 0)
        #expect(status.output.contains("UNIT") && status.output.contains("collect:a0/signinattempts"))
        // No unit ever had two holders at once, and the dead worker's units went to another.
        let history = try await store.leaseHistory(nil)
        #expect(history.overlaps.isEmpty, "overlapping holders: \(history.overlaps.prefix(3))")
        // The victim and at least one survivor held units (the third may have found none free).
        #expect(Set(history.map(\.holder)).count >= 2)
        // A unit the victim had already caught up when it died needs nobody: the survivors, run until
        // caught up, finish on its record. Every other unit of the victim passed to a survivor.
        var takenOver = 0
        for index in emulated.indices {
          for stream in EventStream.allCases {
            let key = StreamKey(account: "a\(index)", stream: stream)
            let unit = LeaseUnit.collect(key)
            guard victimUnits.contains(unit) else { continue }
            let spans = history.filter { $0.unit == unit }
            let death = try #require(spans.lastIndex { $0.holder.hasSuffix(":\(killed.processIdentifier)") })
            if spans.count > death + 1 {
              takenOver += 1
              #expect(spans[death].until != nil, "\(unit): the dead worker's lease never ended")
            } else {
              let caughtUp = try #require(try await store.streamState(key)?.caughtUpAt, "\(unit): never caught up")
              #expect(caughtUp < killedAt, "\(unit): nobody took over from the dead worker")
            }
          }
        }
        #expect(takenOver > 0, "none of the dead worker's units was taken over")
      }
      result = .success(())
    } catch {
      result = .failure(error)
    }
    for process in workers.processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
    await setup.stop()
    try result.get()
  }
}
