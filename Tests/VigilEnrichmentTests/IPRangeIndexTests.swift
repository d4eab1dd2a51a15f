import PropertyBased
import Testing
import VigilCore
import VigilEnrichment
import VigilTestSupport

@Suite struct IPRangeIndexTests {
  /// The flattened index answers what a brute-force scan for the most specific block answers.
  @Test func agreesWithBruteForceLongestPrefix() async {
    await propertyCheck(
      count: 300, input: Gen.int(in: 0...0xFFFF).array(of: 0...60), Gen.int(in: 0...16).array(of: 60),
      Gen.int(in: 0...0xFFFF).array(of: 30)
    ) { starts, lengths, probes in
      // Small address space (10.x.y.0) so blocks nest and overlap often.
      let networks = starts.enumerated().map { index, start in
        IPNetwork(address: IPAddress("10.\(start >> 8).\(start & 0xFF).0")!, prefixLength: 96 + 8 + lengths[index])
      }
      let index = IPRangeIndex(networks)
      for probe in probes + starts {
        let address = IPAddress("10.\(probe >> 8).\(probe & 0xFF).\(probe % 7)")!
        let expected = networks.indices.filter { networks[$0].contains(address) }.max { a, b in
          networks[a].prefixLength != networks[b].prefixLength
            ? networks[a].prefixLength < networks[b].prefixLength : a < b
        }
        #expect(index.lookup(address) == expected)
      }
    }
  }

  @Test func edgesOfTheAddressSpace() {
    let networks = ["0.0.0.0/0", "::/0", "255.255.255.255", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"].map {
      IPNetwork($0)!
    }
    let index = IPRangeIndex(networks)
    #expect(index.lookup(IPAddress("1.2.3.4")!) == 0)
    #expect(index.lookup(IPAddress("255.255.255.255")!) == 2)
    #expect(index.lookup(IPAddress("2001:db8::1")!) == 1)
    #expect(index.lookup(IPAddress("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")!) == 3)
    #expect(IPRangeIndex([]).lookup(IPAddress("1.2.3.4")!) == nil)
  }
}
