import VigilBase
import VigilEventsAPIModel

/// Named attacks and risky changes injected into the organisation's history. Each one's events are
/// recorded as ground truth, so detection can be tested against what really happened.
package enum ScenarioName: String, CaseIterable, Sendable, Codable {
  case bruteForce = "brute-force"
  case passwordSpray = "password-spray"
  case failuresThenSuccess = "failures-then-success"
  case mfaFatigue = "mfa-fatigue"
  case impossibleTravel = "impossible-travel"
  case torSignIn = "tor-sign-in"
  case firewallBlocks = "firewall-blocks"
  case massReveal = "mass-reveal"
  case massExport = "mass-export"
  case vaultExportBeforeSuspension = "vault-export-before-suspension"
  case selfGrantedVaultAccess = "self-granted-vault-access"
  case mfaDisabledAccount = "mfa-disabled-account"
  case mfaDisabledUser = "mfa-disabled-user"
  case ssoChange = "sso-change"
  case firewallChange = "firewall-change"
  case newServiceAccount = "new-service-account"
  case privilegedGroupJoin = "privileged-group-join"
  case manualInvite = "manual-invite"
  case recoveryBegun = "recovery-begun"
  /// Not an attack: markup, `javascript:` URLs, bidi overrides, control characters and 10 kB strings in
  /// names, emails, cities, app names and details, for testing that everything that renders events
  /// escapes them. Only when named (`all` leaves it out).
  case hostileData = "hostile-data"

  /// The attack scenarios: what `all` means.
  package static let attacks = allCases.filter { $0 != .hostileData }

  /// Parses `all`, `none` or a comma-separated list.
  package static func parse(_ text: String) throws(ScenarioError) -> [ScenarioName] {
    switch text.trimmingWhitespace {
    case "all", "": return attacks
    case "none": return []
    default:
      var names: [ScenarioName] = []
      for part in text.split(separator: ",") {
        let name = String(part).trimmingWhitespace
        if name == "all" {
          names += attacks.filter { !names.contains($0) }
          continue
        }
        guard let scenario = ScenarioName(rawValue: name) else { throw .unknown(name) }
        names.append(scenario)
      }
      return names
    }
  }
}

package enum ScenarioError: Error, Equatable, Sendable, CustomStringConvertible {
  case unknown(String)

  package var description: String {
    switch self {
    case .unknown(let name):
      "unknown scenario '\(name)': use all, none, or some of \(ScenarioName.allCases.map(\.rawValue).joined(separator: ", "))"
    }
  }
}

/// One injected scenario: when, in which account, and the uuids of the events that form it.
package struct ScenarioInstance: Sendable {
  package var name: ScenarioName
  package var accountUUID: String
  package var start: Timestamp
  package var events: [EmulatedEvent]
  /// The user the scenario is about (target or actor).
  package var subject: String?
  package var sourceIP: String?
}

package struct ScenarioBuilder {
  let generator: ActivityGenerator
  var random: SeededGenerator

  package init(generator: ActivityGenerator, seed: UInt64) {
    self.generator = generator
    random = SeededGenerator(seed: seed, purpose: "scenarios-\(generator.accountIndex)")
  }

  var organisation: Organisation { generator.organisation }

  /// Builds `name` starting at `start`.
  package mutating func build(_ name: ScenarioName, at start: Timestamp) -> ScenarioInstance {
    let victim = random.pick(organisation.members)
    let attacker = random.pick(Geography.hostileCities)
    let attackerIP = attacker.address(using: &random)
    var events: [WireEvent] = []
    var subject: String? = victim.uuid
    var sourceIP: String? = attackerIP
    switch name {
    case .bruteForce:
      for index in 0..<25 {
        events.append(
          .signInAttempt(
            signIn(
              victim, "credentials_failed", "password_secret_bad", attacker, attackerIP,
              start.adding(seconds: Double(index) * 55))))
      }
    case .passwordSpray:
      subject = nil
      for index in 0..<min(15, organisation.members.count) {
        let target = organisation.members[index]
        events.append(
          .signInAttempt(
            signIn(
              target, "credentials_failed", "password_secret_bad", attacker, attackerIP,
              start.adding(seconds: Double(index) * 70))))
      }
    case .failuresThenSuccess:
      for index in 0..<8 {
        events.append(
          .signInAttempt(
            signIn(
              victim, "credentials_failed", "password_secret_bad", attacker, attackerIP,
              start.adding(seconds: Double(index) * 40))))
      }
      events.append(
        .signInAttempt(signIn(victim, "success", "credentials_ok", attacker, attackerIP, start.adding(seconds: 400))))
    case .mfaFatigue:
      // The password is known; the second factor keeps failing.
      for index in 0..<5 {
        events.append(
          .signInAttempt(
            signIn(victim, "mfa_failed", "totp_bad", attacker, attackerIP, start.adding(seconds: Double(index) * 50))))
      }
    case .impossibleTravel:
      sourceIP = victim.homeAddress
      events.append(.signInAttempt(signIn(victim, "success", "mfa_ok", victim.home, victim.homeAddress, start)))
      let far = Geography.hostileCities.first { $0.countryCode != victim.home.countryCode } ?? attacker
      events.append(
        .signInAttempt(
          signIn(victim, "success", "mfa_ok", far, far.address(using: &random), start.adding(seconds: 1500))))
    case .torSignIn:
      let prefix = Geography.torExitPrefix
      let ip = "\(prefix.0).\(prefix.1).\(prefix.2).\(Int.random(in: 2...250, using: &random))"
      sourceIP = ip
      events.append(.signInAttempt(signIn(victim, "success", "credentials_ok", Geography.hostileCities[0], ip, start)))
    case .firewallBlocks:
      for index in 0..<6 {
        events.append(
          .signInAttempt(
            signIn(
              victim, "firewall_failed", "country_blocked", attacker, attackerIP,
              start.adding(seconds: Double(index) * 90))))
      }
    case .massReveal:
      sourceIP = victim.homeAddress
      let vault = organisation.vaults[random.pick(victim.vaults)]
      for index in 0..<40 {
        events.append(
          .itemUsage(
            usage(victim, index % 3 == 0 ? "secure-copy" : "reveal", vault, start.adding(seconds: Double(index) * 6))))
      }
    case .massExport:
      sourceIP = victim.homeAddress
      let vault = organisation.vaults[random.pick(victim.vaults)]
      for index in 0..<12 {
        events.append(.itemUsage(usage(victim, "export", vault, start.adding(seconds: Double(index) * 20))))
      }
    case .vaultExportBeforeSuspension:
      sourceIP = victim.homeAddress
      let vault = organisation.vaults[random.pick(victim.vaults)]
      events.append(.auditEvent(audit(victim, "export", "vault", object: vault.uuid, at: start)))
      let admin = organisation.members.first { $0.isAdmin } ?? victim
      var suspension = audit(admin, "suspend", "user", object: victim.uuid, at: start.adding(seconds: 3 * 86_400))
      suspension.objectDetails = victim.wireUser
      events.append(.auditEvent(suspension))
    case .selfGrantedVaultAccess:
      sourceIP = victim.homeAddress
      let vault = organisation.vaults.last ?? organisation.vaults[0]
      var grant = audit(victim, "grant", "uva", object: vault.uuid, at: start)
      AuditCatalog.member(victim, asAuxOf: &grant, generator: generator)
      grant.auxInfo = "1048560"
      events.append(.auditEvent(grant))
      for index in 0..<5 {
        events.append(
          .itemUsage(
            usage(
              victim, index == 0 ? "server-fetch" : "reveal", vault, start.adding(seconds: 600 + Double(index) * 30))))
      }
    case .mfaDisabledAccount:
      let admin = organisation.members.first { $0.isAdmin } ?? victim
      subject = admin.uuid
      sourceIP = admin.homeAddress
      var event = audit(admin, "disblmfa", "account", object: organisation.accountUUID, at: start)
      event.auxInfo = "totp"
      events.append(.auditEvent(event))
    case .mfaDisabledUser:
      sourceIP = victim.homeAddress
      var event = audit(victim, "disblmfa", "user", object: victim.uuid, at: start)
      event.objectDetails = victim.wireUser
      events.append(.auditEvent(event))
    case .ssoChange:
      let admin = organisation.members.first { $0.isAdmin } ?? victim
      subject = admin.uuid
      sourceIP = admin.homeAddress
      let sso = Base32ID.make(using: &random, lowercase: true)
      events.append(.auditEvent(audit(admin, "chngpsso", "sso", object: sso, at: start)))
      events.append(.auditEvent(audit(admin, "disblsso", "sso", object: sso, at: start.adding(seconds: 120))))
    case .firewallChange:
      let admin = organisation.members.first { $0.isAdmin } ?? victim
      subject = admin.uuid
      sourceIP = admin.homeAddress
      events.append(.auditEvent(audit(admin, "updatfw", "account", object: organisation.accountUUID, at: start)))
    case .newServiceAccount:
      sourceIP = victim.homeAddress
      let serviceAccount = Base32ID.make(using: &random)
      events.append(.auditEvent(audit(victim, "create", "sa", object: serviceAccount, at: start)))
      var token = audit(
        victim, "create", "satoken", object: Base32ID.make(using: &random), at: start.adding(seconds: 45))
      token.auxUUID = serviceAccount
      events.append(.auditEvent(token))
    case .privilegedGroupJoin:
      sourceIP = victim.homeAddress
      let owners = organisation.groups[0]
      var join = audit(victim, "join", "gm", object: owners.uuid, at: start)
      AuditCatalog.member(victim, asAuxOf: &join, generator: generator)
      join.auxInfo = "R"
      events.append(.auditEvent(join))
    case .manualInvite:
      sourceIP = victim.homeAddress
      var invite = audit(victim, "create", "invite", object: Base32ID.make(using: &random), at: start)
      invite.auxInfo = "contractor@gmail.com"
      events.append(.auditEvent(invite))
    case .recoveryBegun:
      let admin = organisation.members.first { $0.isAdmin } ?? victim
      sourceIP = admin.homeAddress
      var begin = audit(admin, "begin", "user", object: victim.uuid, at: start)
      begin.objectDetails = victim.wireUser
      events.append(.auditEvent(begin))
    case .hostileData:
      sourceIP = attackerIP
      let vault = organisation.vaults[random.pick(victim.vaults)]
      for (index, text) in HostileText.all.enumerated() {
        let time = start.adding(seconds: Double(index) * 60)
        var member = victim
        member.name = text
        member.email = text
        var city = attacker
        city.name = text
        city.region = text
        var signIn = signIn(member, "firewall_failed", "country_blocked", city, attackerIP, time)
        signIn.detailsValue = text
        signIn.client?.appName = text
        signIn.client?.osName = text
        signIn.client?.platformName = text
        events.append(.signInAttempt(signIn))
        var use = usage(member, "reveal", vault, time.adding(seconds: 10))
        use.client?.appName = text
        use.location?.city = text
        events.append(.itemUsage(use))
        var change = audit(member, "update", "user", object: victim.uuid, at: time.adding(seconds: 20))
        change.objectDetails = WireUser(uuid: victim.uuid, name: text, email: text)
        events.append(.auditEvent(change))
      }
    }
    let emulated = events.map { event in
      EmulatedEvent(
        event: event,
        insertedAt: (event.timestamp ?? start).adding(seconds: InsertionDelay.draw(for: event.stream, using: &random)))
    }
    return ScenarioInstance(
      name: name, accountUUID: organisation.accountUUID, start: start, events: emulated, subject: subject,
      sourceIP: sourceIP)
  }

  private mutating func signIn(
    _ member: Organisation.Member, _ category: SignInCategory, _ type: SignInType, _ city: City, _ ip: String,
    _ time: Timestamp
  ) -> SignInAttempt {
    var event = SignInAttempt()
    event.uuid = Base32ID.make(using: &random)
    event.sessionUUID = Base32ID.make(using: &random)
    event.timestamp = time
    event.category = category
    event.type = type
    event.country = city.countryCode
    if category == .firewallFailed { event.detailsValue = city.countryName }
    event.targetUser = generator.wireUser(member)
    event.client = WireClient(
      appName: "1Password for Web", appVersion: "1786", platformName: "Chrome", platformVersion: "131.0.6778.86",
      osName: "Windows", osVersion: "10.0", ipAddress: ip)
    event.location = generator.location(city, using: &random)
    event.accountUUID = organisation.accountUUID
    return event
  }

  private mutating func usage(
    _ member: Organisation.Member, _ action: ItemUsageAction, _ vault: Organisation.Vault, _ time: Timestamp
  ) -> ItemUsage {
    var event = ItemUsage()
    event.uuid = Base32ID.make(using: &random)
    event.timestamp = time
    event.usedVersion = 1
    event.vaultUUID = vault.uuid
    event.itemUUID = random.pick(vault.items)
    event.action = action
    event.user = generator.wireUser(member)
    var client = member.devices[0].client
    client.ipAddress = member.homeAddress
    event.client = client
    event.location = generator.location(member.home, using: &random)
    event.accountUUID = organisation.accountUUID
    return event
  }

  private mutating func audit(
    _ actor: Organisation.Member, _ action: AuditAction, _ objectType: AuditObjectType, object: String,
    at time: Timestamp
  ) -> AuditEvent {
    var event = AuditCatalog.base(
      actor: actor, generator: generator, city: actor.home, address: actor.homeAddress, at: time, using: &random)
    event.action = action
    event.objectType = objectType
    event.objectUUID = object
    return event
  }
}

/// The strings of the hostile-data scenario.
package enum HostileText {
  package static let all = [
    "<script>alert('vigil-xss-1')</script>", "\"><svg onload=alert('vigil-xss-2')>", "javascript:alert('vigil-xss-3')",
    "'><img src=x onerror=alert('vigil-xss-4')>", "Zoë \u{202E}gpj.exe", "bell\u{07}esc\u{1B}[31mred\u{0}nul",
    String(repeating: "W", count: 10_000), "{{7*7}} ${7*7} <%= 7*7 %>", "=HYPERLINK(\"http://evil.example\")",
  ]
}
