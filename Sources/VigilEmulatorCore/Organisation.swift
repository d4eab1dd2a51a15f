import VigilBase
import VigilEventsAPIModel

/// A synthetic 1Password Business account: people, their devices and habits, groups, vaults, items and
/// service accounts. Deterministic from the seed.
package struct Organisation: Sendable {
  package struct Device: Sendable, Hashable {
    package var uuid: String
    package var client: WireClient
  }

  package struct Member: Sendable {
    package var uuid: String
    package var name: String
    package var email: String
    package var home: City
    package var homeAddress: String
    package var devices: [Device]
    /// Item usages per working day, on average.
    package var activity: Double
    package var vaults: [Int]
    package var isAdmin: Bool
    /// 0 = user, else `external_user` from the MSP account.
    package var isExternal: Bool
    package var userAccountUUID: String?

    package var wireUser: WireUser { WireUser(uuid: uuid, name: name, email: email) }
  }

  package struct Vault: Sendable {
    package var uuid: String
    package var name: String
    package var items: [String]
  }

  package struct ServiceAccount: Sendable {
    package var uuid: String
    package var name: String
    package var email: String
    package var vault: Int
    package var address: String
  }

  package var accountUUID: String
  package var name: String
  package var domain: String
  package var members: [Member]
  package var groups: [(uuid: String, name: String)]
  package var vaults: [Vault]
  package var serviceAccounts: [ServiceAccount]

  private static let givenNames = [
    "Ava", "Liam", "Olivia", "Noah", "Emma", "Mateo", "Sofia", "Lucas", "Amara", "Ethan", "Mia", "Arjun", "Chloé",
    "Kenji", "Zara", "Omar", "Ingrid", "Diego", "Priya", "Finn", "Léa", "Tomás", "Hana", "Kwame", "Elena", "Yusuf",
    "Nora", "Rafael", "Aiko", "Jonas", "Fatima", "Marco", "Sienna", "Pedro", "Maya", "Oskar", "Leila", "Hugo",
    "Anika", "Wendy",
  ]
  private static let familyNames = [
    "Appleseed", "Nguyen", "García", "Smith", "Okafor", "Müller", "Rossi", "Tanaka", "Kowalski", "Dubois", "Silva",
    "Patel", "O'Brien", "Johansson", "Kim", "Haddad", "Novak", "Fernández", "Chen", "Murphy", "Santos", "Jensen",
    "Ivanova", "Moreau", "Mensah", "Larsen", "Costa", "Yamamoto", "Schmidt", "Walsh",
  ]
  private static let vaultNames = [
    "Private", "Engineering", "Finance", "Marketing", "Infrastructure", "Production Secrets", "Customer Success",
    "HR", "Legal", "Executive", "Shared", "Security", "Design", "Sales", "Data Platform", "CI/CD",
  ]

  package static func generate(seed: UInt64, accountIndex: Int, users: Int) -> Organisation {
    var random = SeededGenerator(seed: seed, purpose: "organisation", index: accountIndex)
    let names = ["Acme Corp", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Enterprises"]
    let name = accountIndex < names.count ? names[accountIndex] : "Account \(accountIndex + 1)"
    let domain =
      name.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(20) + ".example"
    let accountUUID = Base32ID.make(using: &random)
    let vaultCount = min(vaultNames.count, max(4, users / 12))
    var vaults: [Vault] = []
    for index in 0..<vaultCount {
      let itemCount = Int.random(in: 15...120, using: &random)
      vaults.append(
        Vault(
          uuid: Base32ID.make(using: &random, lowercase: true), name: vaultNames[index],
          items: (0..<itemCount).map { _ in Base32ID.make(using: &random, lowercase: true) }))
    }
    let groups = ["Owners", "Administrators", "Team Members", "Security", "Engineering", "Finance"].map {
      (uuid: Base32ID.make(using: &random, lowercase: true), name: $0)
    }
    var usedEmails = Set<String>()
    var members: [Member] = []
    for index in 0..<max(1, users) {
      let given = random.pick(givenNames)
      let family = random.pick(familyNames)
      var local = asciiFolded("\(given).\(family)".lowercased()).filter { $0.isLetter || $0 == "." }
      if usedEmails.contains(local) { local += String(index) }
      usedEmails.insert(local)
      let home = random.weighted(Geography.homeCities)
      let deviceCount = Int.random(in: 1...3, using: &random)
      let devices = (0..<deviceCount).map { _ in
        Device(uuid: Base32ID.make(using: &random, lowercase: true), client: ClientCatalog.random(using: &random))
      }
      let memberVaults = [0] + (1..<vaultCount).filter { _ in random.chance(0.35) }
      members.append(
        Member(
          uuid: Base32ID.make(using: &random), name: "\(given) \(family)", email: "\(local)@\(domain)", home: home,
          homeAddress: home.address(using: &random), devices: devices,
          activity: Double.random(in: 2...30, using: &random), vaults: memberVaults,
          isAdmin: index < max(2, users / 25),
          isExternal: false, userAccountUUID: nil))
    }
    let serviceAccounts = (0..<max(1, users / 50)).map { index in
      let id = Base32ID.make(using: &random)
      return ServiceAccount(
        uuid: id, name: ["CI deploy", "Terraform", "Kubernetes operator", "Backup job"][index % 4],
        email: "\(id.lowercased().prefix(12))@1passwordserviceaccounts.com",
        vault: Int.random(in: 0..<vaultCount, using: &random),
        address: Geography.dataCentre.address(using: &random))
    }
    return Organisation(
      accountUUID: accountUUID, name: name, domain: String(domain), members: members, groups: groups, vaults: vaults,
      serviceAccounts: serviceAccounts)
  }
}

/// The 1Password apps people sign in and use items with, and what they report about themselves.
package enum ClientCatalog {
  static let apps: [((String, String, String, [String], String, [String]), Double)] = [
    (
      (
        "1Password Browser Extension", "81080", "Chrome", ["131.0.6778.86", "132.0.6834.83"], "MacOSX",
        ["14.6", "15.1"]
      ), 30
    ),
    (("1Password Browser Extension", "81080", "Firefox", ["133.0", "134.0"], "Windows", ["10.0", "11.0"]), 10),
    (("1Password Browser Extension", "81080", "Edge", ["131.0.2903.70"], "Windows", ["11.0"]), 6),
    (("1Password for Mac", "81033", "MacBookPro18,3", ["arm64"], "MacOSX", ["14.6", "15.1"]), 18),
    (("1Password for Windows", "81033", "Dell XPS 15", ["x86_64"], "Windows", ["10.0.22631"]), 10),
    (("1Password for iOS", "81032", "iPhone15,2", ["arm64"], "iOS", ["17.6", "18.1"]), 10),
    (("1Password for Android", "81032", "Pixel 8", ["arm64-v8a"], "Android", ["14", "15"]), 6),
    (("1Password for Linux", "81033", "Ubuntu", ["x86_64"], "Linux", ["24.04"]), 3),
    (("1Password for Web", "1786", "Safari", ["18.1"], "MacOSX", ["15.1"]), 5),
    (("1Password CLI", "2300501", "Go", ["go1.23.2"], "Linux", ["6.8.0"]), 2),
  ]

  package static func random(using random: inout SeededGenerator) -> WireClient {
    let app = random.weighted(apps)
    return WireClient(
      appName: app.0, appVersion: app.1, platformName: app.2, platformVersion: random.pick(app.3), osName: app.4,
      osVersion: random.pick(app.5))
  }

  package static func server(_ name: String) -> WireClient {
    WireClient(
      appName: name, appVersion: "1.28.0", platformName: "Go", platformVersion: "go1.23.2", osName: "Linux",
      osVersion: "6.8.0")
  }
}

/// Email local parts are ASCII: "Chloé Fernández" signs in as chloe.fernandez.
func asciiFolded(_ text: String) -> String {
  let folds: [Character: String] = [
    "á": "a", "à": "a", "â": "a", "ä": "a", "ã": "a", "å": "a", "é": "e", "è": "e", "ê": "e", "ë": "e", "í": "i",
    "ì": "i", "î": "i", "ï": "i", "ó": "o", "ò": "o", "ô": "o", "ö": "o", "õ": "o", "ø": "o", "ú": "u", "ù": "u",
    "û": "u", "ü": "u", "ç": "c", "ñ": "n", "ß": "ss",
  ]
  return String(text.flatMap { folds[$0] ?? ($0.isASCII ? String($0) : "") })
}
