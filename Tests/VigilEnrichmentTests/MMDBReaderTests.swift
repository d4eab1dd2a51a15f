import Foundation
import PropertyBased
import Testing
import VigilCore
import VigilEnrichment
import VigilJSON
import VigilTestSupport

@Suite struct MMDBReaderTests {
  /// Every good test database, address by address, against MaxMind's own reader.
  @Test func agreesWithMaxMindsReader() throws {
    let expected = try JSONDocument(bytes: try EnrichmentFixtures.bytes("mmdb-expected.json"))
    var checked = 0
    for (name, database) in expected.root.members {
      let reader = try MMDBReader(bytes: try EnrichmentFixtures.bytes("mmdb/" + name))
      #expect(reader.metadata.databaseType == database["database_type"]?.string, "\(name)")
      #expect(reader.metadata.nodeCount == database["node_count"]?.int, "\(name)")
      #expect(reader.metadata.recordSize == database["record_size"]?.int, "\(name)")
      for entry in database["cases"]?.elements ?? JSONDocument.empty.root.elements {
        let text = try #require(entry["address"]?.string)
        let address = try #require(IPAddress(text), "\(text)")
        let found = try reader.lookup(address)
        if let record = entry["record"], !record.isNull {
          let (value, prefix) = try #require(found, "\(name) \(text) should be found")
          #expect(Self.canonical(value) == Self.canonical(record), "\(name) \(text)")
          #expect(prefix == entry["prefix"]?.int, "\(name) \(text) prefix")
        } else {
          #expect(found == nil, "\(name) \(text) should be absent")
        }
        checked += 1
      }
    }
    #expect(checked >= 600)
  }

  @Test func cityAndASNRecordsGiveVigilsFields() throws {
    let city = try IPDatabase(bytes: try EnrichmentFixtures.bytes("mmdb/GeoIP2-City-Test.mmdb"))
    // The address in 1Password's own examples.
    let example = try #require(IPAddress("89.160.20.156"))
    let record = try #require(try city.record(for: example))
    #expect(record.geo.countryCode == "SE")
    #expect(record.geo.city == "Linköping")
    #expect(record.geo.region == "Östergötland County")
    #expect(record.geo.latitude == 58.4167)
    let asn = try IPDatabase(bytes: try EnrichmentFixtures.bytes("mmdb/GeoLite2-ASN-Test.mmdb"))
    let network = try #require(try asn.record(for: example))
    #expect(network.asNumber == 29518)
    #expect(network.asOrganization == "Bredband2 AB")
    let privateAddress = try #require(IPAddress("10.0.0.1"))
    #expect(try asn.record(for: privateAddress) == nil)
  }

  /// MaxMind's deliberately corrupt files: each is an error when opened or looked up, never a crash
  /// or a hang.
  @Test func corruptFilesAreErrors() throws {
    let files = try EnrichmentFixtures.files(in: "mmdb-bad")
    #expect(files.count >= 20)
    for file in files {
      let bytes = try EnrichmentFixtures.bytes("mmdb-bad/" + file)
      do {
        let reader = try MMDBReader(bytes: bytes)
        var failed = false
        for text in Self.probes {
          guard let address = IPAddress(text) else { continue }
          do { _ = try reader.lookup(address) } catch {
            failed = true
            #expect(!error.description.isEmpty)
          }
        }
        // A few of MaxMind's "bad" files are only bad for readers with other limits (the uint64 epoch);
        // for those, every lookup must still have completed.
        if !failed { #expect(Self.acceptable.contains(file), "\(file) was read without any error") }
      } catch {
        #expect(!error.description.isEmpty, "\(file)")
      }
    }
  }

  /// MaxMind's README lists these as well-formed (a uint64 build epoch; empty containers at the end of
  /// the metadata): they only tripped other readers.
  static let acceptable: Set<String> = [
    "libmaxminddb--libmaxminddb-uint64-max-epoch.mmdb",
    "libmaxminddb--libmaxminddb-empty-array-last-in-metadata.mmdb",
    "libmaxminddb--libmaxminddb-empty-map-last-in-metadata.mmdb",
  ]

  static let probes = [
    "1.1.1.1", "1.1.1.3", "1.1.1.32", "81.2.69.160", "89.160.20.156", "2.125.160.216", "216.160.83.56", "::",
    "::1:ffff:ffff", "2001:218::1", "2a02:cf40::1", "0.0.0.0", "255.255.255.255", "128.0.0.1",
  ]

  /// Files that are hostile by design: pointer fan-outs and payload amplification. The reader's
  /// limits (values, payload, depth) turn each into an error in bounded time.
  @Test(.timeLimit(.minutes(1))) func hostileFilesAreBoundedErrors() throws {
    let accepted: Set<String> = [
      "MaxMind-DB-test-decoder-value-limit.mmdb", "MaxMind-DB-test-decoder-value-limit-pointer-heavy.mmdb",
      "MaxMind-DB-test-decoder-payload-limit.mmdb",
    ]
    for file in try EnrichmentFixtures.files(in: "mmdb-hostile") {
      let bytes = try EnrichmentFixtures.bytes("mmdb-hostile/" + file)
      var errors = 0
      var values = 0
      do {
        let reader = try MMDBReader(bytes: bytes)
        for text in Self.probes + ["1.2.3.4", "::1.2.3.4", "2001::1"] {
          guard let address = IPAddress(text) else { continue }
          do {
            if try reader.lookup(address) != nil { values += 1 }
          } catch {
            errors += 1
          }
        }
      } catch {
        errors += 1
      }
      if accepted.contains(file) {
        #expect(errors == 0 && values > 0, "\(file) is within the limits and should read")
      } else {
        #expect(errors > 0, "\(file) should hit a limit")
      }
    }
  }

  @Test func nonDatabasesAreClearErrors() {
    #expect(throws: MMDBError.notADatabase) { try MMDBReader(bytes: Array("hello, world".utf8)) }
    #expect(throws: MMDBError.notADatabase) { try MMDBReader(bytes: []) }
  }

  /// Writer → reader round trip on every record size, checked against a brute-force longest match.
  @Test(arguments: [24, 28, 32]) func writerRoundTrips(recordSize: Int) async {
    await propertyCheck(
      count: 60, input: Gen.int(in: 0...Int(UInt32.max)).array(of: 1...40), Gen.int(in: 8...32).array(of: 40)
    ) { starts, lengths in
      var writer = MMDBWriter(databaseType: "Vigil-Test", recordSize: recordSize)
      var networks: [IPNetwork] = []
      for (index, start) in starts.enumerated() {
        let address = IPAddress(Self.dotted(UInt32(start)))!
        let network = IPNetwork(address: address, prefixLength: 96 + lengths[index])
        networks.append(network)
        writer.insert(network, .map(["n": .unsigned(UInt64(index)), "name": .string("net \(index)")]))
      }
      let reader = try! MMDBReader(bytes: writer.build())
      for (index, start) in starts.enumerated() {
        for probe in [UInt32(start), UInt32(start) ^ 1, UInt32(start) &+ 255] {
          let address = IPAddress(Self.dotted(probe))!
          // Most specific containing network; of equal ones, the later insert.
          let expected = networks.indices.filter { networks[$0].contains(address) }.max { a, b in
            networks[a].prefixLength != networks[b].prefixLength
              ? networks[a].prefixLength < networks[b].prefixLength : a < b
          }
          let found = try! reader.lookup(address)
          #expect(found?.value["n"]?.integer == expected, "probe \(index)")
        }
      }
    }
  }

  static func dotted(_ value: UInt32) -> String {
    "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
  }

  /// The type-tagged text of `scripts/gen_mmdb_expectations.py`, from either side.
  static func canonical(_ value: MMDBValue) -> String {
    switch value {
    case .string(let text): "string:" + text
    case .double(let number): "double:" + String(number)
    case .float(let number): "double:" + String(Double(number))
    case .bytes(let bytes): "bytes:" + bytes.map { String($0, radix: 16).leftPadded }.joined()
    case .unsigned(let number): "int:\(number)"
    case .unsigned128(let high, let low): "int:" + String(UInt128(high) << 64 | UInt128(low))
    case .signed(let number): "int:\(number)"
    case .bool(let flag): "bool:\(flag)"
    case .map(let map):
      "{" + map.keys.sorted().map { "\($0)=\(map[$0].map(canonical) ?? "")" }.joined(separator: ",") + "}"
    case .array(let items): "[" + items.map(canonical).joined(separator: ",") + "]"
    }
  }

  static func canonical(_ value: JSONValue) -> String {
    switch value.kind {
    case .string: return value.string ?? ""
    case .array: return "[" + value.elements.map(canonical).joined(separator: ",") + "]"
    case .object:
      let members = value.members.map { ($0.0, canonical($0.1)) }.sorted { $0.0 < $1.0 }
      return "{" + members.map { "\($0.0)=\($0.1)" }.joined(separator: ",") + "}"
    default: return "?"
    }
  }
}

extension String {
  fileprivate var leftPadded: String { count == 1 ? "0" + self : self }
}

extension JSONDocument {
  static let empty: JSONDocument = {
    guard let document = try? JSONDocument(bytes: Array("[]".utf8)) else { fatalError("[] is JSON") }
    return document
  }()
}
