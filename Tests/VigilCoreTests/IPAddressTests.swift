import Testing
import VigilCore
import VigilTestSupport

@Suite struct IPAddressTests {
  @Test(arguments: [
    ("10.1.2.3", "10.1.2.3"), ("::ffff:10.1.2.3", "10.1.2.3"), ("2001:DB8::1", "2001:db8::1"), ("::", "::"),
    ("::1", "::1"), ("fe80::1%eth0", "fe80::1"), ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
    ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"), ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
  ])
  func addressesParseToOneCanonicalForm(text: String, canonical: String) throws {
    #expect(try #require(IPAddress(text)).description == canonical)
  }

  @Test(arguments: [
    "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "1..2.3", "01234.1.1.1", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9",
    "12345::", "g::1", "1:2:3:4:5:6:7", "::ffff:1.2.3", "not-an-ip", "1.2.3.4/8",
  ])
  func nonAddressesAreRefused(text: String) {
    #expect(IPAddress(text) == nil)
  }

  @Test func networksAreRangesOfTheSixteenByteOrder() throws {
    let network = try #require(IPNetwork("10.20.30.40/12"))
    #expect(network.description == "10.16.0.0/12")
    #expect(network.contains(try #require(IPAddress("10.31.255.255"))))
    #expect(!network.contains(try #require(IPAddress("10.32.0.0"))))
    #expect(!network.contains(try #require(IPAddress("::a10:0"))))  // the IPv6 address with the same low bits
    let v6 = try #require(IPNetwork("2001:db8::/32"))
    #expect(v6.contains(try #require(IPAddress("2001:db8:ffff::1"))))
    #expect(!v6.contains(try #require(IPAddress("2001:db9::"))))
    #expect(try #require(IPNetwork("0.0.0.0/0")).contains(try #require(IPAddress("255.255.255.255"))))
    #expect(IPNetwork("10.0.0.0/33") == nil)
    #expect(IPNetwork("::/129") == nil)
    #expect(IPNetwork("10.0.0.0/x") == nil)
  }
}
