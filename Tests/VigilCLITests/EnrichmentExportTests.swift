import Foundation
import Testing
import VigilBase
import VigilCore
import VigilEmulator
import VigilEmulatorCore
import VigilEventsAPIModel
import VigilJSON
import VigilSQLite
import VigilTestSupport

@testable import VigilCLI

/// The end-to-end path over real processes: the emulator serves, `vigil collect` enriches at
/// ingest (geo and ASN databases, Tor and CSV feeds, lookups), `vigil export` writes ECS and OCSF with
/// the enrichment present, `vigil status` reports the sources, `vigil intel rescan` applies a feed
/// added later.
@Suite struct EnrichmentExportTests {
  @Test func emulatorToCollectToExportWithGeoASNAndThreats() async throws {
    let setup = try await CollectorProcessTests.Setup(users: 30, days: 4)
    defer { Task { await setup.stop() } }
    _ = try setup.writeConfig()
    try DemoEnrichment.write(to: setup.directory)
    // One known sign-in: its address goes in a feed of its own, its user in the user lookup.
    let signIns = setup.emulator.engine.allEvents(stream: .signInAttempts)
    let candidates = signIns.compactMap { event -> (String, String)? in
      guard case .signInAttempt(let wire) = event.event, let ip = wire.client?.ipAddress,
        let email = wire.targetUser?.email, !ip.hasPrefix("185.220.101.")
      else { return nil }
      return (ip, email)
    }
    let picked = try #require(candidates.first)
    try "\(picked.0)\n".write(toFile: setup.directory + "/picked.txt", atomically: false, encoding: .utf8)
    try "email,department,manager\n\(picked.1),Security,ciso@example.com\n".write(
      toFile: setup.directory + "/users.csv", atomically: false, encoding: .utf8)
    var yaml = try String(contentsOfFile: setup.config, encoding: .utf8)
    yaml += DemoEnrichment.configuration.replacingOccurrences(
      of: "  lookups:\n",
      with: "    - name: picked\n      file: picked.txt\n      category: test\n  lookups:\n    users: users.csv\n")
    try yaml.write(toFile: setup.config, atomically: false, encoding: .utf8)

    let collect = try await setup.run([
      "collect", "--until-caught-up", "--config", setup.config, "--log-level", "critical",
    ])
    #expect(collect.status == 0, "\(collect.output)\(collect.error)")
    try await setup.expectExact()

    // ECS: every stored event, with geo, ASN, the threat match and the lookup.
    let ecsFile = setup.directory + "/export.ecs.ndjson"
    let ecs = try await setup.run(["export", "--config", setup.config, "--format", "ecs", "-o", ecsFile])
    #expect(ecs.status == 0, "\(ecs.error)")
    // Exports hold emails and addresses: readable by the user alone, and no partial file left behind.
    let mode = try FileManager.default.attributesOfItem(atPath: ecsFile)[.posixPermissions] as? NSNumber
    #expect(mode?.intValue == 0o600)
    #expect(try FileManager.default.contentsOfDirectory(atPath: setup.directory).allSatisfy { !$0.hasSuffix(".part") })
    let documents = try Self.lines(Array(try Data(contentsOf: URL(fileURLWithPath: ecsFile))))
    let truth = EventStream.allCases.reduce(0) { $0 + setup.emulator.engine.groundTruth(stream: $1).count }
    #expect(documents.count == truth)
    #expect(documents.contains { $0.root["source"]?["as"]?["number"]?.int != nil })
    #expect(documents.contains { $0.root["source"]?["geo"]?["location"]?["lat"]?.double != nil })
    let matched = documents.filter { $0.root["source"]?["ip"]?.string == picked.0 }
    #expect(!matched.isEmpty)
    for document in matched {
      // Other feeds may list it too (the scenarios' attackers): it is named among the matches.
      #expect(document.root["vigil"]?["threat"]?["feeds"]?.elements.contains { $0.string == "picked" } == true)
      #expect(
        Array(document.root["threat"]?["enrichments"]?.elements ?? JSONDocument.emptyArray.root.elements).count == 1)
      #expect(document.root["source"]?["as"]?["organization"]?["name"]?.string?.hasPrefix("Demo") == true)
    }
    #expect(
      documents.contains {
        $0.root["user"]?["email"]?.string == picked.1 && $0.root["vigil"]?["user"]?["department"]?.string == "Security"
      })
    let times = documents.compactMap { $0.root["@timestamp"]?.string.flatMap { Timestamp(rfc3339: $0) } }
    #expect(times == times.sorted(), "exports are oldest first")

    // OCSF, gzip-compressed, filtered by a query.
    let ocsfFile = setup.directory + "/signins.ocsf.ndjson.gz"
    let ocsf = try await setup.run([
      "export", "--config", setup.config, "--format", "ocsf", "--gzip", "-o", ocsfFile, "signin",
    ])
    #expect(ocsf.status == 0, "\(ocsf.error)")
    let inflated = try Self.gunzip(ocsfFile)
    let events = try Self.lines(inflated)
    #expect(events.count == setup.emulator.engine.groundTruth(stream: .signInAttempts).count)
    #expect(events.allSatisfy { $0.root["class_uid"]?.int == 3002 })
    #expect(
      events.contains { $0.root["enrichments"]?.elements.contains { $0["provider"]?.string == "picked" } == true })
    #expect(events.contains { $0.root["src_endpoint"]?["autonomous_system"]?["number"]?.int != nil })

    // Status names every source with its entries.
    let status = try await setup.run(["status", "--config", setup.config])
    #expect(status.output.contains("tor-exits"))
    #expect(status.output.contains("geoip.asn"))
    let json = try JSONDocument(
      bytes: Array(try await setup.run(["status", "--config", setup.config, "--format", "json"]).output.utf8))
    let tor = json.root["enrichment"]?.elements.first { $0["name"]?.string == "tor-exits" }
    #expect(tor?["entries"]?.int == 254)
    #expect(tor?["error"]?.isNull ?? true)

    // A feed added after collection: rescan marks the events it lists. The address must match no feed
    // yet (the demo's threat feeds list some scenario addresses), or nothing is newly matched.
    let alreadyMatched = Set(
      documents.filter { $0.root["vigil"]?["threat"]?["feeds"] != nil }.compactMap {
        $0.root["source"]?["ip"]?.string
      })
    let lateCandidates = signIns.compactMap { event -> String? in
      guard case .signInAttempt(let wire) = event.event, let ip = wire.client?.ipAddress, ip != picked.0,
        !ip.hasPrefix("185.220.101."), !alreadyMatched.contains(ip)
      else { return nil }
      return ip
    }
    let late = try #require(lateCandidates.first)
    try "indicator,category,confidence\n\(late),late-listing,99\n".write(
      toFile: setup.directory + "/late.csv", atomically: false, encoding: .utf8)
    yaml = try String(contentsOfFile: setup.config, encoding: .utf8)
    yaml = yaml.replacingOccurrences(
      of: "  lookups:\n", with: "    - name: late\n      file: late.csv\n      format: csv\n  lookups:\n")
    try yaml.write(toFile: setup.config, atomically: false, encoding: .utf8)
    let rescan = try await setup.run(["intel", "rescan", "--since", "30d", "--config", setup.config])
    #expect(rescan.status == 0, "\(rescan.output)\(rescan.error)")
    #expect(rescan.output.contains("newly matched a threat feed"))
    #expect(!rescan.output.contains(" 0 newly matched"))
    let search = try await setup.run([
      "search", "--config", setup.config, "--format", "ndjson", "threat.feed:late* | count",
    ])
    let count = try JSONDocument(bytes: Array(search.output.utf8)).root["count"]?.int ?? 0
    let expected = signIns.filter {
      if case .signInAttempt(let wire) = $0.event { return wire.client?.ipAddress == late }
      return false
    }.count
    #expect(count >= expected && expected > 0)
  }

  static func lines(_ bytes: [UInt8]) throws -> [JSONDocument] {
    try bytes.split(separator: 0x0A).map { try JSONDocument(bytes: Array($0)) }
  }

  static func gunzip(_ path: String) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-dc", path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "gzip could not read the export")
    return Array(data)
  }
}

extension JSONDocument {
  static let emptyArray: JSONDocument = {
    guard let document = try? JSONDocument(bytes: Array("[]".utf8)) else { fatalError("[] is JSON") }
    return document
  }()
}
