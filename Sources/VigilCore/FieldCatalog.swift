import EventsAPIModel

/// Every field Vigil knows, in documentation order. Code that needs a particular field refers to it
/// through the named constants below, never by spelling its name again.
package enum FieldCatalog {
  package static let account = Field(
    "event.account", .keyword, "The account name from Vigil's configuration (part of the event's identity).",
    aliases: ["account"]
  ) { .string($0.account) }
  package static let stream = Field(
    "event.stream", .keyword, "The Events API stream: `signinattempts`, `itemusages` or `auditevents`.",
    aliases: ["stream"]
  ) { .string($0.stream.rawValue) }
  package static let uuid = Field(
    "event.uuid", .keyword, "The event's uuid from the API (unique per account and stream).",
    sources: all("uuid"), aliases: ["uuid"]
  ) { .string($0.uuid) }
  package static let time = Field(
    "event.time", .time, "When the event happened, as the API reports it (nanoseconds kept); never the ingest time.",
    sources: all("timestamp"), aliases: ["time", "@timestamp"], indexed: true
  ) { .time($0.time) }
  package static let ingested = Field(
    "event.ingested", .time, "When Vigil stored the event."
  ) { .time($0.ingestedAt) }
  package static let outcome = Field(
    "event.outcome", .keyword,
    "`success` or `failure`. Sign-ins: `success` and `firewall_reported_success` are successes, other known "
      + "categories failures, unknown ones left empty. Item usages and audit events record what took place: success.",
    sources: [.signInAttempts: ["category"]], aliases: ["outcome"]
  ) { $0.outcome.map { .string($0.rawValue) } }
  package static let action = Field(
    "event.action", .keyword, "Sign-in category, item-usage action or audit action code.",
    sources: [.signInAttempts: ["category"], .itemUsages: ["action"], .auditEvents: ["action"]],
    aliases: ["action", "category"], indexed: true, searchable: true
  ) { $0.action.field }
  package static let type = Field(
    "event.type", .keyword, "The sign-in type: the reason behind its category (`mfa_ok`, `password_secret_bad`, …).",
    sources: [.signInAttempts: ["type"]], aliases: ["type"], searchable: true
  ) { $0.type.field }
  package static let userID = Field(
    "user.id", .keyword, "Who acted: the sign-in's target user, the item's user, the audit actor.",
    sources: [
      .signInAttempts: ["target_user.uuid"], .itemUsages: ["user.uuid"],
      .auditEvents: ["actor_uuid", "actor_details.uuid"],
    ]
  ) { $0.user.id.field }
  package static let userEmail = Field(
    "user.email", .keyword, "The acting user's email.",
    sources: [
      .signInAttempts: ["target_user.email"], .itemUsages: ["user.email"], .auditEvents: ["actor_details.email"],
    ],
    aliases: ["user", "email"], indexed: true, searchable: true
  ) { $0.user.email.field }
  package static let userName = Field(
    "user.name", .text, "The acting user's name.",
    sources: [.signInAttempts: ["target_user.name"], .itemUsages: ["user.name"], .auditEvents: ["actor_details.name"]],
    aliases: ["name"]
  ) { $0.user.name.field }
  package static let userType = Field(
    "user.type", .keyword, "v2: the kind of user (`user`, `external_user`, service accounts).",
    sources: [
      .signInAttempts: ["target_user.user_type"], .itemUsages: ["user.user_type"], .auditEvents: ["actor_type"],
    ]
  ) { $0.user.type.field }
  package static let userAccountUUID = Field(
    "user.account_uuid", .keyword, "v2 (MSP): the account the acting user belongs to.",
    sources: [
      .signInAttempts: ["target_user.user_account_uuid"], .itemUsages: ["user.user_account_uuid"],
      .auditEvents: ["actor_account_uuid"],
    ]
  ) { $0.user.accountUUID.field }
  package static let targetType = Field(
    "target.type", .keyword, "Audit: the object type acted on (`user`, `vault`, `gm`, `uva`, …).",
    sources: [.auditEvents: ["object_type"]], aliases: ["object"]
  ) { $0.target.type.field }
  package static let targetID = Field(
    "target.id", .keyword, "Audit: the uuid of the object acted on.", sources: [.auditEvents: ["object_uuid"]]
  ) { $0.target.id.field }
  package static let targetEmail = Field(
    "target.email", .keyword, "Audit: the email of the object when it is a user.",
    sources: [.auditEvents: ["object_details.email"]], searchable: true
  ) { $0.target.email.field }
  package static let targetName = Field(
    "target.name", .text, "Audit: the name of the object when it is a user.",
    sources: [.auditEvents: ["object_details.name"]]
  ) { $0.target.name.field }
  package static let auxID = Field(
    "aux.id", .integer, "Audit: the auxiliary object's numeric id.", sources: [.auditEvents: ["aux_id"]]
  ) { $0.aux.id.field }
  package static let auxUUID = Field(
    "aux.uuid", .keyword, "Audit: the auxiliary object's uuid (the group member, the grantee of vault access, …).",
    sources: [.auditEvents: ["aux_uuid"]]
  ) { $0.aux.uuid.field }
  package static let auxEmail = Field(
    "aux.email", .keyword, "Audit: the auxiliary object's email when it is a user.",
    sources: [.auditEvents: ["aux_details.email"]], searchable: true
  ) { $0.aux.email.field }
  package static let auxName = Field(
    "aux.name", .text, "Audit: the auxiliary object's name when it is a user.",
    sources: [.auditEvents: ["aux_details.name"]]
  ) { $0.aux.name.field }
  package static let auxInfo = Field(
    "aux.info", .keyword, "Audit: extra information (for group membership `A` = manager, `R` = member).",
    sources: [.auditEvents: ["aux_info"]]
  ) { $0.aux.info.field }
  package static let sourceIP = Field(
    "source.ip", .ip, "The client's IP address.",
    sources: [
      .signInAttempts: ["client.ip_address"], .itemUsages: ["client.ip_address"], .auditEvents: ["session.ip"],
    ],
    aliases: ["ip"], indexed: true, searchable: true
  ) { $0.sourceIP.field }
  package static let countryCode = Field(
    "geo.country_code", .keyword, "ISO 3166-1 alpha-2 code of the client's country (the API sends a code or a name).",
    sources: [
      .signInAttempts: ["location.country", "country"], .itemUsages: ["location.country"],
      .auditEvents: ["location.country"],
    ],
    aliases: ["country"]
  ) { $0.geo.countryCode.field }
  package static let countryName = Field(
    "geo.country_name", .keyword, "Display name of the client's country.",
    sources: [
      .signInAttempts: ["location.country", "country"], .itemUsages: ["location.country"],
      .auditEvents: ["location.country"],
    ], searchable: true
  ) { $0.geo.countryName.field }
  package static let region = Field(
    "geo.region", .keyword, "Region of the client's location.", sources: all("location.region"), aliases: ["region"]
  ) { $0.geo.region.field }
  package static let city = Field(
    "geo.city", .keyword, "City of the client's location.", sources: all("location.city"), aliases: ["city"],
    searchable: true
  ) { $0.geo.city.field }
  package static let latitude = Field(
    "geo.lat", .double, "Latitude of the client's location.", sources: all("location.latitude")
  ) { $0.geo.latitude.field }
  package static let longitude = Field(
    "geo.lon", .double, "Longitude of the client's location.", sources: all("location.longitude")
  ) { $0.geo.longitude.field }
  package static let clientApp = Field(
    "client.app", .keyword, "The 1Password app (`1Password Browser Extension`, `1Password for Mac`, …).",
    sources: clientPath("app_name"), aliases: ["app"], searchable: true
  ) { $0.client.app.field }
  package static let clientAppVersion = Field(
    "client.app_version", .keyword, "The app's version.", sources: clientPath("app_version")
  ) { $0.client.appVersion.field }
  package static let clientPlatform = Field(
    "client.platform", .keyword, "The platform the app runs on (browser or device).",
    sources: clientPath("platform_name"), aliases: ["platform"]
  ) { $0.client.platform.field }
  package static let clientPlatformVersion = Field(
    "client.platform_version", .keyword, "The platform's version.", sources: clientPath("platform_version")
  ) { $0.client.platformVersion.field }
  package static let clientOS = Field(
    "client.os", .keyword, "The operating system.", sources: clientPath("os_name"), aliases: ["os"]
  ) { $0.client.os.field }
  package static let clientOSVersion = Field(
    "client.os_version", .keyword, "The operating system's version.", sources: clientPath("os_version")
  ) { $0.client.osVersion.field }
  package static let vaultID = Field(
    "vault.id", .keyword, "The vault used, or the vault an audit event is about.",
    sources: [.itemUsages: ["vault_uuid"], .auditEvents: ["object_uuid (object_type vault, uva, gva)"]],
    aliases: ["vault"]
  ) { $0.vaultID.field }
  package static let itemID = Field(
    "item.id", .keyword, "The item used, or the item an audit event is about.",
    sources: [.itemUsages: ["item_uuid"], .auditEvents: ["object_uuid (object_type item)"]], aliases: ["item"]
  ) { $0.itemID.field }
  package static let itemVersion = Field(
    "item.version", .integer, "The item version used.", sources: [.itemUsages: ["used_version"]]
  ) { $0.itemVersion.field }
  package static let sessionID = Field(
    "session.id", .keyword, "The session of the sign-in or the audit action.",
    sources: [.signInAttempts: ["session_uuid"], .auditEvents: ["session.uuid"]], aliases: ["session"]
  ) { $0.session.id.field }
  package static let sessionLoginTime = Field(
    "session.login_time", .time, "Audit: when the acting session signed in.",
    sources: [.auditEvents: ["session.login_time"]]
  ) { $0.session.loginTime.map(FieldValue.time) }
  package static let deviceID = Field(
    "session.device_id", .keyword, "Audit: the device of the acting session.",
    sources: [.auditEvents: ["session.device_uuid"]], aliases: ["device"]
  ) { $0.session.deviceID.field }
  package static let details = Field(
    "event.details", .keyword,
    "Sign-in: `details.value`, e.g. the continent, country or address a firewall rule blocked.",
    sources: [.signInAttempts: ["details.value"]], aliases: ["details"], searchable: true
  ) { $0.details.field }
  package static let accountUUID = Field(
    "account.uuid", .keyword, "v2: the account the event belongs to, as the API names it.",
    sources: all("account_uuid")
  ) { $0.accountUUID.field }

  /// All fields, in documentation order.
  package static let fields: [Field] = [
    account, stream, uuid, time, ingested, outcome, action, type,
    userID, userEmail, userName, userType, userAccountUUID,
    targetType, targetID, targetEmail, targetName,
    auxID, auxUUID, auxEmail, auxName, auxInfo,
    sourceIP, countryCode, countryName, region, city, latitude, longitude,
    clientApp, clientAppVersion, clientPlatform, clientPlatformVersion, clientOS, clientOSVersion,
    vaultID, itemID, itemVersion, sessionID, sessionLoginTime, deviceID, details, accountUUID,
  ]

  private static let byName: [String: Field] = {
    var index: [String: Field] = [:]
    for field in fields { index[field.name] = field }
    for field in fields {
      for alias in field.aliases where index[alias] == nil { index[alias] = field }
    }
    return index
  }()

  /// A field by its name or one of its aliases.
  package static func field(named name: String) -> Field? { byName[name] }

  private static func all(_ path: String) -> [EventStream: [String]] {
    [.signInAttempts: [path], .itemUsages: [path], .auditEvents: [path]]
  }

  private static func clientPath(_ name: String) -> [EventStream: [String]] {
    [.signInAttempts: ["client.\(name)"], .itemUsages: ["client.\(name)"]]
  }
}
