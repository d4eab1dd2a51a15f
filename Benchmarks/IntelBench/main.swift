import Foundation
import VigilCore
import VigilEnrichment
import VigilEventsAPIModel

// Threat-feed matching at scale: builds a feed of N blocks (default 1,000,000: a third /32 hosts, the
// rest /16–/30 blocks, as big blocklists mix them) and looks up M random addresses through the
// longest-prefix index, against two baselines measured in the same run on the same data:
//   - a Dictionary of the /32 hosts (exact match only: the fastest a lookup can be, and wrong for blocks);
//   - a linear scan over every block (correct, what a naive matcher does; timed on fewer lookups).
// Usage: IntelBench [--entries N] [--lookups M]

var entries = 1_000_000
var lookups = 1_000_000
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
  switch argument {
  case "--entries": entries = Int(arguments.next() ?? "") ?? entries
  case "--lookups": lookups = Int(arguments.next() ?? "") ?? lookups
  default:
    FileHandle.standardError.write(Data("usage: IntelBench [--entries N] [--lookups M]\n".utf8))
    exit(2)
  }
}

struct SplitMix {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

func dotted(_ value: UInt32) -> String { "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)" }

func seconds(_ body: () -> Void) -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

var random = SplitMix(state: 42)
var indicators: [ThreatIndicator] = []
var hosts: [UInt32: Int] = [:]
indicators.reserveCapacity(entries)
for index in 0..<entries {
  let value = UInt32(truncatingIfNeeded: random.next())
  let prefix = index % 3 == 0 ? 32 : 16 + Int(random.next() % 15)
  guard let address = IPAddress(dotted(value)) else { continue }
  let network = IPNetwork(address: address, prefixLength: 96 + prefix)
  indicators.append(ThreatIndicator(network: network, category: "bench", confidence: 50))
  if prefix == 32 { hosts[value] = index }
}
let probes: [IPAddress] = (0..<lookups).compactMap { _ in IPAddress(dotted(UInt32(truncatingIfNeeded: random.next()))) }
let probeValues: [UInt32] = probes.map { address in
  address.bytes.suffix(4).reduce(0) { $0 << 8 | UInt32($1) }
}

var feed: ThreatFeed?
let buildTime = seconds { feed = ThreatFeed(name: "bench", indicators: indicators) }
guard let feed else { exit(1) }

var matched = 0
let indexTime = seconds {
  for probe in probes where feed.match(probe) != nil { matched += 1 }
}
var hashMatched = 0
let hashTime = seconds {
  for value in probeValues where hosts[value] != nil { hashMatched += 1 }
}
let scanLookups = min(200, probes.count)
var scanMatched = 0
let scanTime = seconds {
  for probe in probes.prefix(scanLookups) where indicators.contains(where: { $0.network.contains(probe) }) {
    scanMatched += 1
  }
}
var agree = true
for probe in probes.prefix(scanLookups) {
  let viaIndex = feed.match(probe)?.network
  let viaScan = indicators.filter { $0.network.contains(probe) }.max {
    $0.network.prefixLength < $1.network.prefixLength
  }?
  .network
  if viaIndex?.prefixLength != viaScan?.prefixLength { agree = false }
}

let indexRate = Double(probes.count) / indexTime
let hashRate = Double(probeValues.count) / hashTime
let scanRate = Double(scanLookups) / scanTime
print("feed: \(indicators.count) blocks, build \(String(format: "%.2f", buildTime)) s")
print("longest-prefix index: \(Int(indexRate)) lookups/s (\(matched) of \(probes.count) matched)")
print("baseline exact-match Dictionary of /32s: \(Int(hashRate)) lookups/s (\(hashMatched) matched; misses blocks)")
print("baseline linear scan: \(Int(scanRate)) lookups/s over \(scanLookups) lookups (\(scanMatched) matched)")
print("ratio index/Dictionary: \(String(format: "%.2f", indexRate / hashRate))")
print("ratio index/linear scan: \(String(format: "%.0f", indexRate / scanRate))")
print("index agrees with the scan on \(scanLookups) lookups: \(agree)")
