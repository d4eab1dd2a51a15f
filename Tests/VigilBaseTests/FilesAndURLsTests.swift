import Foundation
import Testing
import VigilBase
import VigilTestSupport

@Suite struct AtomicFileTests {
  @Test func aSecretIsWrittenWholeWithItsModeAndNothingIsLeftBeside() throws {
    let directory = try TemporaryDirectory()
    let path = directory.path + "/token.jwt"
    try AtomicFile.write("first\n", to: path, mode: 0o600)
    try AtomicFile.write("second\n", to: path, mode: 0o600)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["token.jwt"])
  }

  /// A planted symlink at the target is replaced, never followed: the file it points at is untouched.
  @Test func aPlantedSymlinkIsReplacedNotFollowed() throws {
    let directory = try TemporaryDirectory()
    let victim = directory.path + "/victim"
    try AtomicFile.write("precious", to: victim)
    try FileManager.default.createSymbolicLink(atPath: directory.path + "/city.mmdb", withDestinationPath: victim)
    try AtomicFile.write([1, 2, 3], to: directory.path + "/city.mmdb")
    #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
    let type =
      try FileManager.default.attributesOfItem(atPath: directory.path + "/city.mmdb")[.type] as? FileAttributeType
    #expect(type == .typeRegular)
  }

  @Test func aMissingDirectoryIsAnErrorThatNamesThePath() throws {
    let directory = try TemporaryDirectory()
    #expect {
      try AtomicFile.write("x", to: directory.path + "/missing/file")
    } throws: { error in
      "\(error)".contains("/missing/file") && "\(error)".contains("No such file")
    }
  }
}

@Suite struct URLTests {
  @Test(arguments: [
    ("https://events.1password.com/api/v2", "https", "events.1password.com"),
    ("HTTP://User:pw@LOCALHOST:8080/x", "http", "localhost"),
    ("http://[::1]:9/api", "http", "::1"),
    ("https://example.com.?q=1", "https", "example.com"),
  ])
  func partsOfAURL(url: String, scheme: String, host: String) {
    let parts = URLPolicy.parts(url)
    #expect(parts?.scheme == scheme)
    #expect(parts?.host == host)
  }

  @Test func cleartextOnlyToLoopbackUnlessAllowed() {
    #expect(URLPolicy.refusal("https://events.1password.com/x", allowInsecureHTTP: false) == nil)
    #expect(URLPolicy.refusal("http://127.0.0.1:8787/x", allowInsecureHTTP: false) == nil)
    #expect(URLPolicy.refusal("http://localhost/x", allowInsecureHTTP: false) == nil)
    #expect(URLPolicy.refusal("http://[::1]/x", allowInsecureHTTP: false) == nil)
    #expect(URLPolicy.refusal("http://events.example.com/x", allowInsecureHTTP: false)?.contains("in clear") == true)
    #expect(URLPolicy.refusal("http://127.0.0.1.evil.example/x", allowInsecureHTTP: false) != nil)
    #expect(URLPolicy.refusal("http://events.example.com/x", allowInsecureHTTP: true) == nil)
    #expect(URLPolicy.refusal("ftp://example.com/x", allowInsecureHTTP: true) != nil)
  }

  @Test(arguments: [
    ("https://a.example/feeds/list.txt", "https://b.example/x", "https://b.example/x"),
    ("https://a.example/feeds/list.txt", "//cdn.example/y", "https://cdn.example/y"),
    ("https://a.example/feeds/list.txt?x=1", "/z", "https://a.example/z"),
    ("https://a.example/feeds/list.txt", "other.txt", "https://a.example/feeds/other.txt"),
    ("https://a.example", "p", "https://a.example/p"),
  ])
  func redirectTargets(base: String, location: String, expected: String) {
    #expect(URLText.resolve(location, against: base) == expected)
  }

  @Test func credentialsAreNeverShown() {
    #expect(URLText.withoutCredentials("https://user:secret@feeds.example/list") == "https://feeds.example/list")
    #expect(URLText.withoutCredentials("https://feeds.example/a@b") == "https://feeds.example/a@b")
  }
}

@Suite struct ProxySettingsTests {
  @Test func theEnvironmentGivesTheProxyAndItsExceptions() {
    let settings = HTTPSettings().withProxy(from: [
      "HTTPS_PROXY": "http://proxy.corp.example:3128", "NO_PROXY": "internal.example, .lan,feeds.example.org",
    ])
    #expect(settings.proxy == "http://proxy.corp.example:3128")
    #expect(settings.bypassesProxy("127.0.0.1"))
    #expect(settings.bypassesProxy("localhost"))
    #expect(settings.bypassesProxy("internal.example"))
    #expect(settings.bypassesProxy("api.internal.example"))
    #expect(settings.bypassesProxy("nas.lan"))
    #expect(settings.bypassesProxy("feeds.example.org"))
    #expect(!settings.bypassesProxy("events.1password.com"))
    #expect(!settings.bypassesProxy("notinternal.example"))
  }

  @Test func aConfiguredProxyWinsOverTheEnvironment() {
    var configured = HTTPSettings()
    configured.proxy = "http://configured:8080"
    #expect(configured.withProxy(from: ["HTTPS_PROXY": "http://env:8080"]).proxy == "http://configured:8080")
    #expect(HTTPSettings().withProxy(from: ["NO_PROXY": "*"]).bypassesProxy("events.1password.com"))
  }
}

/// Numbers from tokens and files must never trap, and far-off times must never wrap into another century.
@Suite struct TimeBoundsTests {
  @Test(arguments: [1e300, -1e300, Double.infinity, -Double.infinity, Double.nan, 1e19])
  func extremeEpochSecondsAreClamped(value: Double) {
    let time = Timestamp(epochSeconds: value)
    #expect(time.seconds >= Timestamp.earliestSeconds && time.seconds <= Timestamp.latestSeconds)
    #expect(!time.rfc3339.isEmpty)
  }

  @Test func addingHugeSpansSaturates() {
    let now = Timestamp.fixture("2026-12-01T00:00:00Z")
    #expect(now.adding(seconds: 1e300).seconds <= Timestamp.latestSeconds + 1)
    #expect(now.adding(seconds: -1e300).seconds >= Timestamp.earliestSeconds - 1)
    #expect(now.adding(seconds: .nan) == now)
  }
}

@Suite struct RedactionTests {
  @Test func queryValuesAreNeverShown() {
    #expect(
      URLText.withoutCredentials("https://u:p@feeds.example/list?key=SECRET&format=csv#top")
        == "https://feeds.example/list?key=…&format=…#top")
    #expect(URLText.withoutCredentials("https://feeds.example/list?flag") == "https://feeds.example/list?flag")
  }
}

@Suite struct PrintableTests {
  @Test func controlAndFormatCharactersNeverReachAReader() {
    #expect(Printable.text("ok\u{1B}[31mred") == "ok\u{FFFD}[31mred")
    #expect(Printable.text("c1\u{9B}31m") == "c1\u{FFFD}31m")
    #expect(Printable.text("bidi\u{202E}txt.exe") == "bidi\u{FFFD}txt.exe")
    #expect(Printable.text("line\u{2028}sep") == "line\u{FFFD}sep")
    #expect(Printable.text("Zoë \"Z\" O'Brien, 東京") == "Zoë \"Z\" O'Brien, 東京")
  }
}
