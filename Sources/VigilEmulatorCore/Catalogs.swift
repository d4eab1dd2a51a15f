import VigilBase
import VigilEventsAPIModel

/// Realistic proportions of sign-in outcomes: nearly all succeed; every documented category and type
/// still appears over a month.
package enum SignInCatalog {
  static let categories: [(SignInCategory, Double)] = [
    (.success, 93), (.credentialsFailed, 3.5), (.mfaFailed, 1.5), (.ssoFailed, 0.5), (.modernVersionFailed, 0.3),
    (.firewallFailed, 0.7), (.firewallReportedSuccess, 0.5),
  ]
  static let typesByCategory: [SignInCategory: [(SignInType, Double)]] = [
    .success: [("credentials_ok", 50), ("mfa_ok", 46), ("federated", 4)],
    .credentialsFailed: [
      ("password_secret_bad", 85), ("platform_secret_bad", 6), ("platform_secret_disabled", 3),
      ("platform_secret_proxy", 2), ("non_sso_user", 4),
    ],
    .mfaFailed: [
      ("totp_bad", 30), ("totp_timeout", 8), ("totp_disabled", 5), ("mfa_missing", 10), ("u2f_bad", 6),
      ("u2f_timeout", 4), ("u2f_timout", 5), ("u2f_disabled", 5), ("duo_bad", 8), ("duo_timeout", 8),
      ("duo_disabled", 5), ("duo_native_bad", 5), ("code_bad", 6), ("code_timeout", 4), ("code_disabled", 5),
    ],
    .ssoFailed: [("sso_user_mismatch", 50), ("non_sso_user", 30), ("service_account_sso_denied", 20)],
    .modernVersionFailed: [("modern_version_missing", 40), ("modern_version_old", 60)],
    .firewallFailed: [
      ("country_blocked", 40), ("continent_blocked", 20), ("ip_blocked", 25), ("anonymous_blocked", 10),
      ("all_blocked", 5),
    ],
    .firewallReportedSuccess: [("country_blocked", 50), ("continent_blocked", 20), ("ip_blocked", 30)],
  ]

  package static func ordinary(using random: inout SeededGenerator) -> (SignInCategory, SignInType) {
    let category = random.weighted(categories)
    return (category, random.weighted(typesByCategory[category] ?? [("credentials_ok", 1)]))
  }

  static func firewallDetail(for type: SignInType?, city: City, address: String) -> String {
    switch type?.rawValue {
    case "continent_blocked": continent(of: city)
    case "ip_blocked": address
    case "anonymous_blocked": "Anonymous proxy"
    case "all_blocked": "All"
    default: city.countryName
    }
  }

  static func continent(of city: City) -> String {
    switch city.countryCode {
    case "CA", "US", "MX": "North America"
    case "BR", "AR": "South America"
    case "IN", "SG", "JP", "CN", "IR": "Asia"
    case "AU", "NZ": "Oceania"
    case "NG": "Africa"
    default: "Europe"
    }
  }
}

package enum ItemUsageCatalog {
  /// What people do with items; `export` and `share` are rare, `fill` dominates.
  static let memberActions: [(ItemUsageAction, Double)] = [
    ("fill", 58), ("reveal", 12), ("secure-copy", 13), ("enter-item-edit-mode", 6), ("select-sso-provider", 4),
    ("share", 1), ("export", 0.3), ("server-create", 1.5), ("server-update", 1.5), ("server-fetch", 2), ("other", 0.7),
  ]
}

/// Audit events as admins and members produce them, with the object, aux and session fields each
/// action carries in real data.
package enum AuditCatalog {
  static let adminActions: [((AuditAction, AuditObjectType), Double)] = [
    (("join", "gm"), 8), (("leave", "gm"), 3), (("role", "gm"), 1), (("grant", "uva"), 8), (("revoke", "uva"), 3),
    (("update", "uva"), 2), (("grant", "gva"), 3), (("revoke", "gva"), 1), (("create", "vault"), 3),
    (("update", "vault"), 2), (("delete", "vault"), 0.4), (("create", "invite"), 2), (("expire", "invite"), 0.5),
    (("activate", "user"), 2), (("update", "user"), 4), (("suspend", "user"), 0.4), (("reactive", "user"), 0.2),
    (("create", "group"), 0.6), (("update", "group"), 0.6), (("update", "account"), 0.4), (("view", "report"), 1),
    (("provsn", "user"), 1), (("deolddev", "device"), 1), (("verify", "user"), 0.5), (("tverify", "satoken"), 0.3),
    (("patch", "template"), 0.2), (("export", "vault"), 0.1), (("updatea", "account"), 0.2),
  ]
  static let selfActions: [((AuditAction, AuditObjectType), Double)] = [
    (("create", "device"), 10), (("reauth", "device"), 6), (("dealldev", "device"), 1), (("changemp", "user"), 2),
    (("enblmfa", "user"), 2), (("updatmfa", "user"), 1), (("changenm", "user"), 1), (("changesk", "user"), 0.5),
    (("create", "cred"), 1), (("begin", "user"), 0.3), (("complete", "user"), 0.3), (("trvlaway", "user"), 0.3),
    (("trvlback", "user"), 0.3), (("share", "item"), 0.8),
  ]

  static func adminChange(
    by actor: Organisation.Member, in generator: ActivityGenerator, city: City, address: String, at time: Timestamp,
    using random: inout SeededGenerator
  ) -> AuditEvent {
    let (action, objectType) = random.weighted(adminActions)
    let organisation = generator.organisation
    // Routine administration acts on someone else: an administrator granting themself access is the
    // self-escalation scenarios' job.
    let members = organisation.members
    let drawn = Int.random(in: 0..<members.count, using: &random)
    let subject = members[members[drawn].uuid == actor.uuid && members.count > 1 ? (drawn + 1) % members.count : drawn]
    var event = base(actor: actor, generator: generator, city: city, address: address, at: time, using: &random)
    event.action = action
    event.objectType = objectType
    switch objectType.rawValue {
    case "gm":
      event.objectUUID = random.pick(organisation.groups).uuid
      member(subject, asAuxOf: &event, generator: generator)
      event.auxInfo = action == "role" ? "A" : (random.chance(0.2) ? "A" : "R")
    case "uva", "gva":
      event.objectUUID = random.pick(organisation.vaults).uuid
      if objectType == "gva" {
        event.auxUUID = random.pick(organisation.groups).uuid
      } else {
        member(subject, asAuxOf: &event, generator: generator)
      }
      event.auxInfo = String(random.pick([32, 48, 112, 240, 1008, 1048560]))
    case "vault", "template":
      event.objectUUID = random.pick(organisation.vaults).uuid
    case "group":
      event.objectUUID = random.pick(organisation.groups).uuid
    case "invite":
      event.objectUUID = Base32ID.make(using: &random)
      event.auxInfo = "new.hire\(Int.random(in: 1...999, using: &random))@\(organisation.domain)"
    case "user":
      event.objectUUID = subject.uuid
      event.objectDetails = subject.wireUser
    case "account":
      event.objectUUID = organisation.accountUUID
    case "satoken":
      event.objectUUID = Base32ID.make(using: &random)
      event.auxUUID = organisation.serviceAccounts.first?.uuid
    case "device":
      event.objectUUID = random.pick(subject.devices).uuid
      member(subject, asAuxOf: &event, generator: generator)
    default:
      event.objectUUID = Base32ID.make(using: &random)
    }
    return event
  }

  static func selfChange(
    by actor: Organisation.Member, in generator: ActivityGenerator, city: City, address: String, at time: Timestamp,
    using random: inout SeededGenerator
  ) -> AuditEvent {
    let (action, objectType) = random.weighted(selfActions)
    var event = base(actor: actor, generator: generator, city: city, address: address, at: time, using: &random)
    event.action = action
    event.objectType = objectType
    switch objectType.rawValue {
    case "device":
      event.objectUUID = random.pick(actor.devices).uuid
    case "item":
      event.objectUUID = random.pick(generator.organisation.vaults[random.pick(actor.vaults)].items)
    case "cred":
      event.objectUUID = Base32ID.make(using: &random, lowercase: true)
    default:
      event.objectUUID = actor.uuid
      event.objectDetails = actor.wireUser
    }
    return event
  }

  static func base(
    actor: Organisation.Member, generator: ActivityGenerator, city: City, address: String, at time: Timestamp,
    using random: inout SeededGenerator
  ) -> AuditEvent {
    var event = AuditEvent()
    event.uuid = Base32ID.make(using: &random)
    event.timestamp = time
    event.actorUUID = actor.uuid
    event.actorDetails = actor.wireUser
    event.actorType = actor.isExternal ? "external_user" : "user"
    event.actorAccountUUID = actor.userAccountUUID ?? generator.organisation.accountUUID
    event.accountUUID = generator.organisation.accountUUID
    event.session = WireSession(
      uuid: Base32ID.make(using: &random),
      loginTime: time.adding(seconds: -Double.random(in: 60...28_800, using: &random)),
      deviceUUID: random.pick(actor.devices).uuid, ip: address)
    event.location = generator.location(city, using: &random)
    return event
  }

  static func member(_ member: Organisation.Member, asAuxOf event: inout AuditEvent, generator: ActivityGenerator) {
    event.auxUUID = member.uuid
    event.auxDetails = member.wireUser
    // A stable small integer per member, as the API's aux_id is.
    event.auxID = Int(member.uuid.utf8.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 } & 0x7F_FFFF)
  }
}
