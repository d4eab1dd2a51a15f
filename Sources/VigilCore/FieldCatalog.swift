import VigilEventsAPIModel

/// Every field Vigil knows, in documentation order. Code that needs a particular field refers to it
/// through the named constants below, never by spelling its name again.
package enum FieldCatalog {
  package static let account = Field(
    "event.account", .keyword, "The account name from Vigil's configuration (part of the event's identity).",
    aliases: ["account"], ecs: "organization.name", ocsf: "unmapped.account"
  ) { .string($0.account) }
  package static let stream = Field(
    "event.stream", .keyword, "The Events API stream: `signinattempts`, `itemusages` or `auditevents`.",
    aliases: ["stream"], ecs: "event.dataset (`1password.signin_attempts`, …)", ocsf: "metadata.log_name"
  ) { .string($0.stream.rawValue) }
  package static let uuid = Field(
    "event.uuid", .keyword, "The event's uuid from the API (unique per account and stream).",
    sources: all("uuid"), aliases: ["uuid"], ecs: "event.id, onepassword.uuid", ocsf: "metadata.uid"
  ) { .string($0.uuid) }
  package static let time = Field(
    "event.time", .time, "When the event happened, as the API reports it (nanoseconds kept); never the ingest time.",
    sources: all("timestamp"), aliases: ["time", "@timestamp"], indexed: true, ecs: "@timestamp",
    ocsf: "time (ms), metadata.original_time"
  ) { .time($0.time) }
  package static let ingested = Field(
    "event.ingested", .time, "When Vigil stored the event.", ecs: "event.ingested", ocsf: "metadata.logged_time"
  ) { .time($0.ingestedAt) }
  package static let outcome = Field(
    "event.outcome", .keyword,
    "`success` or `failure`. Sign-ins: `success` and `firewall_reported_success` are successes, other known "
      + "categories failures, unknown ones left empty. Item usages and audit events record what took place: success.",
    sources: [.signInAttempts: ["category"]], aliases: ["outcome"], ecs: "event.outcome", ocsf: "status_id, status"
  ) { $0.outcome.map { .string($0.rawValue) } }
  package static let action = Field(
    "event.action", .keyword, "Sign-in category, item-usage action or audit action code.",
    sources: [.signInAttempts: ["category"], .itemUsages: ["action"], .auditEvents: ["action"]],
    aliases: ["action", "category"], indexed: true, searchable: true, ecs: "event.action",
    ocsf: "metadata.event_code; activity_id by class"
  ) { $0.action.field }
  package static let type = Field(
    "event.type", .keyword, "The sign-in type: the reason behind its category (`mfa_ok`, `password_secret_bad`, …).",
    sources: [.signInAttempts: ["type"]], aliases: ["type"], searchable: true, ecs: "event.reason, onepassword.type",
    ocsf: "status_detail"
  ) { $0.type.field }
  package static let userID = Field(
    "user.id", .keyword, "Who acted: the sign-in's target user, the item's user, the audit actor.",
    sources: [
      .signInAttempts: ["target_user.uuid"], .itemUsages: ["user.uuid"],
      .auditEvents: ["actor_uuid", "actor_details.uuid"],
    ], ecs: "user.id", ocsf: "user.uid (sign-ins), actor.user.uid"
  ) { $0.user.id.field }
  package static let userEmail = Field(
    "user.email", .keyword, "The acting user's email.",
    sources: [
      .signInAttempts: ["target_user.email"], .itemUsages: ["user.email"], .auditEvents: ["actor_details.email"],
    ],
    aliases: ["user", "email"], indexed: true, searchable: true, ecs: "user.email",
    ocsf: "user.email_addr (sign-ins), actor.user.email_addr"
  ) { $0.user.email.field }
  package static let userName = Field(
    "user.name", .text, "The acting user's name.",
    sources: [.signInAttempts: ["target_user.name"], .itemUsages: ["user.name"], .auditEvents: ["actor_details.name"]],
    aliases: ["name"], ecs: "user.full_name", ocsf: "user.name (sign-ins), actor.user.name"
  ) { $0.user.name.field }
  package static let userType = Field(
    "user.type", .keyword, "v2: the kind of user (`user`, `external_user`, service accounts).",
    sources: [
      .signInAttempts: ["target_user.user_type"], .itemUsages: ["user.user_type"], .auditEvents: ["actor_type"],
    ], ecs: "onepassword.user_type, onepassword.actor_type", ocsf: "user.type (sign-ins), actor.user.type"
  ) { $0.user.type.field }
  package static let userAccountUUID = Field(
    "user.account_uuid", .keyword, "v2 (MSP): the account the acting user belongs to.",
    sources: [
      .signInAttempts: ["target_user.user_account_uuid"], .itemUsages: ["user.user_account_uuid"],
      .auditEvents: ["actor_account_uuid"],
    ], ecs: "onepassword.user_account_uuid, onepassword.actor_account_uuid",
    ocsf: "user.account.uid (sign-ins), actor.user.account.uid"
  ) { $0.user.accountUUID.field }
  package static let targetType = Field(
    "target.type", .keyword, "Audit: the object type acted on (`user`, `vault`, `gm`, `uva`, …).",
    sources: [.auditEvents: ["object_type"]], aliases: ["object"], ecs: "onepassword.object_type",
    ocsf: "entity.type (Entity Management), unmapped.object_type"
  ) { $0.target.type.field }
  package static let targetID = Field(
    "target.id", .keyword, "Audit: the uuid of the object acted on.", sources: [.auditEvents: ["object_uuid"]],
    ecs: "onepassword.object_uuid; user.target.id (users), group.id (groups)",
    ocsf: "user.uid (Account Change), group.uid (Group Management), entity.uid"
  ) { $0.target.id.field }
  package static let targetEmail = Field(
    "target.email", .keyword, "Audit: the email of the object when it is a user.",
    sources: [.auditEvents: ["object_details.email"]], searchable: true, ecs: "user.target.email",
    ocsf: "user.email_addr (Account Change)"
  ) { $0.target.email.field }
  package static let targetName = Field(
    "target.name", .text, "Audit: the name of the object when it is a user.",
    sources: [.auditEvents: ["object_details.name"]], ecs: "user.target.full_name", ocsf: "user.name (Account Change)"
  ) { $0.target.name.field }
  package static let auxID = Field(
    "aux.id", .integer, "Audit: the auxiliary object's numeric id.", sources: [.auditEvents: ["aux_id"]],
    ecs: "onepassword.aux_id", ocsf: "unmapped.aux_id"
  ) { $0.aux.id.field }
  package static let auxUUID = Field(
    "aux.uuid", .keyword, "Audit: the auxiliary object's uuid (the group member, the grantee of vault access, …).",
    sources: [.auditEvents: ["aux_uuid"]], ecs: "onepassword.aux_uuid; user.target.id (group members)",
    ocsf: "user.uid (Group and User Access Management)"
  ) { $0.aux.uuid.field }
  package static let auxEmail = Field(
    "aux.email", .keyword, "Audit: the auxiliary object's email when it is a user.",
    sources: [.auditEvents: ["aux_details.email"]], searchable: true,
    ecs: "onepassword.aux_details.email; user.target.email (group members)",
    ocsf: "user.email_addr (Group and User Access Management)"
  ) { $0.aux.email.field }
  package static let auxName = Field(
    "aux.name", .text, "Audit: the auxiliary object's name when it is a user.",
    sources: [.auditEvents: ["aux_details.name"]],
    ecs: "onepassword.aux_details.name; user.target.full_name (group members)",
    ocsf: "user.name (Group and User Access Management)"
  ) { $0.aux.name.field }
  package static let auxInfo = Field(
    "aux.info", .keyword, "Audit: extra information (for group membership `A` = manager, `R` = member).",
    sources: [.auditEvents: ["aux_info"]], ecs: "onepassword.aux_info", ocsf: "unmapped.aux_info"
  ) { $0.aux.info.field }
  package static let sourceIP = Field(
    "source.ip", .ip, "The client's IP address.",
    sources: [
      .signInAttempts: ["client.ip_address"], .itemUsages: ["client.ip_address"], .auditEvents: ["session.ip"],
    ],
    aliases: ["ip"], indexed: true, searchable: true, ecs: "source.ip, related.ip", ocsf: "src_endpoint.ip"
  ) { $0.sourceIP.field }
  package static let countryCode = Field(
    "geo.country_code", .keyword, "ISO 3166-1 alpha-2 code of the client's country (the API sends a code or a name).",
    sources: [
      .signInAttempts: ["location.country", "country"], .itemUsages: ["location.country"],
      .auditEvents: ["location.country"],
    ],
    aliases: ["country"], ecs: "source.geo.country_iso_code", ocsf: "src_endpoint.location.country",
    restore: { $0.geo.countryCode = $1.string }
  ) { $0.geo.countryCode.field }
  package static let countryName = Field(
    "geo.country_name", .keyword, "Display name of the client's country.",
    sources: [
      .signInAttempts: ["location.country", "country"], .itemUsages: ["location.country"],
      .auditEvents: ["location.country"],
    ], searchable: true, ecs: "source.geo.country_name", ocsf: "src_endpoint.location.desc",
    restore: { $0.geo.countryName = $1.string }
  ) { $0.geo.countryName.field }
  package static let region = Field(
    "geo.region", .keyword, "Region of the client's location.", sources: all("location.region"), aliases: ["region"],
    ecs: "source.geo.region_name", ocsf: "src_endpoint.location.region",
    restore: { $0.geo.region = $1.string }
  ) { $0.geo.region.field }
  package static let city = Field(
    "geo.city", .keyword, "City of the client's location.", sources: all("location.city"), aliases: ["city"],
    searchable: true, ecs: "source.geo.city_name", ocsf: "src_endpoint.location.city",
    restore: { $0.geo.city = $1.string }
  ) { $0.geo.city.field }
  package static let latitude = Field(
    "geo.lat", .double, "Latitude of the client's location.", sources: all("location.latitude"),
    ecs: "source.geo.location.lat", ocsf: "src_endpoint.location.lat",
    restore: { $0.geo.latitude = $1.double }
  ) { $0.geo.latitude.field }
  package static let longitude = Field(
    "geo.lon", .double, "Longitude of the client's location.", sources: all("location.longitude"),
    ecs: "source.geo.location.lon", ocsf: "src_endpoint.location.long",
    restore: { $0.geo.longitude = $1.double }
  ) { $0.geo.longitude.field }
  package static let clientApp = Field(
    "client.app", .keyword, "The 1Password app (`1Password Browser Extension`, `1Password for Mac`, …).",
    sources: clientPath("app_name"), aliases: ["app"], searchable: true, ecs: "onepassword.client.app_name",
    ocsf: "src_endpoint.agent_list[0].name"
  ) { $0.client.app.field }
  package static let clientAppVersion = Field(
    "client.app_version", .keyword, "The app's version.", sources: clientPath("app_version"),
    ecs: "onepassword.client.app_version", ocsf: "src_endpoint.agent_list[0].version"
  ) { $0.client.appVersion.field }
  package static let clientPlatform = Field(
    "client.platform", .keyword, "The platform the app runs on (browser or device).",
    sources: clientPath("platform_name"), aliases: ["platform"],
    ecs: "user_agent.name, onepassword.client.platform_name", ocsf: "unmapped.client.platform_name"
  ) { $0.client.platform.field }
  package static let clientPlatformVersion = Field(
    "client.platform_version", .keyword, "The platform's version.", sources: clientPath("platform_version"),
    ecs: "user_agent.version, onepassword.client.platform_version", ocsf: "unmapped.client.platform_version"
  ) { $0.client.platformVersion.field }
  package static let clientOS = Field(
    "client.os", .keyword, "The operating system.", sources: clientPath("os_name"), aliases: ["os"],
    ecs: "host.os.name, user_agent.os.name", ocsf: "src_endpoint.os.name"
  ) { $0.client.os.field }
  package static let clientOSVersion = Field(
    "client.os_version", .keyword, "The operating system's version.", sources: clientPath("os_version"),
    ecs: "host.os.version, user_agent.os.version", ocsf: "src_endpoint.os.version"
  ) { $0.client.osVersion.field }
  package static let vaultID = Field(
    "vault.id", .keyword, "The vault used, or the vault an audit event is about.",
    sources: [.itemUsages: ["vault_uuid"], .auditEvents: ["object_uuid (object_type vault, uva, gva)"]],
    aliases: ["vault"], ecs: "onepassword.vault_uuid", ocsf: "unmapped.vault_uuid; entity.uid (audit, vaults)"
  ) { $0.vaultID.field }
  package static let itemID = Field(
    "item.id", .keyword, "The item used, or the item an audit event is about.",
    sources: [.itemUsages: ["item_uuid"], .auditEvents: ["object_uuid (object_type item)"]], aliases: ["item"],
    ecs: "onepassword.item_uuid", ocsf: "entity.uid"
  ) { $0.itemID.field }
  package static let itemVersion = Field(
    "item.version", .integer, "The item version used.", sources: [.itemUsages: ["used_version"]],
    ecs: "onepassword.used_version", ocsf: "entity.version"
  ) { $0.itemVersion.field }
  package static let sessionID = Field(
    "session.id", .keyword, "The session of the sign-in or the audit action.",
    sources: [.signInAttempts: ["session_uuid"], .auditEvents: ["session.uuid"]], aliases: ["session"],
    ecs: "onepassword.session_uuid, onepassword.session.uuid", ocsf: "session.uid (sign-ins), actor.session.uid"
  ) { $0.session.id.field }
  package static let sessionLoginTime = Field(
    "session.login_time", .time, "Audit: when the acting session signed in.",
    sources: [.auditEvents: ["session.login_time"]], ecs: "onepassword.session.login_time",
    ocsf: "actor.session.created_time"
  ) { $0.session.loginTime.map(FieldValue.time) }
  package static let deviceID = Field(
    "session.device_id", .keyword, "Audit: the device of the acting session.",
    sources: [.auditEvents: ["session.device_uuid"]], aliases: ["device"], ecs: "onepassword.session.device_uuid",
    ocsf: "unmapped.device_uuid"
  ) { $0.session.deviceID.field }
  package static let details = Field(
    "event.details", .keyword,
    "Sign-in: `details.value`, e.g. the continent, country or address a firewall rule blocked.",
    sources: [.signInAttempts: ["details.value"]], aliases: ["details"], searchable: true,
    ecs: "onepassword.details.value", ocsf: "unmapped.details"
  ) { $0.details.field }
  package static let accountUUID = Field(
    "account.uuid", .keyword, "v2: the account the event belongs to, as the API names it.",
    sources: all("account_uuid"), ecs: "onepassword.account_uuid", ocsf: "metadata.tenant_uid"
  ) { $0.accountUUID.field }

  // Enrichment (schema 3): not in the raw JSON; see ``Enrichment``.
  package static let geoSource = Field(
    "geo.source", .keyword,
    "Where the geo fields came from: `event` (the API's location) or `mmdb` (a configured database filled what the "
      + "event lacked).", schemaVersion: 3, ecs: "vigil.geo.source", ocsf: "unmapped.geo_source",
    restore: { $0.enrichment.geoSource = $1.string.flatMap(GeoSource.init(rawValue:)) }
  ) { $0.enrichment.geoSource.map { .string($0.rawValue) } }
  package static let asNumber = Field(
    "source.as.number", .integer, "Autonomous system number of the source address (ASN database).",
    aliases: ["asn"], schemaVersion: 3, ecs: "source.as.number",
    ocsf: "src_endpoint.autonomous_system.number", restore: { $0.enrichment.asNumber = $1.integer }
  ) { $0.enrichment.asNumber.field }
  package static let asOrganization = Field(
    "source.as.organization", .text, "Organisation of the source address's autonomous system (ASN database).",
    aliases: ["as_org"], schemaVersion: 3, ecs: "source.as.organization.name",
    ocsf: "src_endpoint.autonomous_system.name", restore: { $0.enrichment.asOrganization = $1.string }
  ) { $0.enrichment.asOrganization.field }
  package static let network = Field(
    "source.network", .keyword,
    "Label of the user's network table entry (office, VPN, cloud) holding the source address.",
    aliases: ["network"], searchable: true, schemaVersion: 3, ecs: "network.name", ocsf: "src_endpoint.zone",
    restore: { $0.enrichment.network = $1.string }
  ) { $0.enrichment.network.field }
  package static let threatFeed = Field(
    "threat.feed", .keyword,
    "Threat-intel feeds listing the source address, best match first, comma-separated (empty: no match).",
    aliases: ["feed"], searchable: true, schemaVersion: 3,
    ecs: "threat.feed.name, threat.enrichments[].indicator.provider", ocsf: "enrichments[].provider",
    restore: { event, value in
      guard let feeds = value.string else { return }
      var match = event.enrichment.threat ?? ThreatMatch(feeds: [], category: nil, confidence: nil, indicator: "")
      match.feeds = feeds.split(separator: ",").map { String($0) }
      event.enrichment.threat = match
    }
  ) { $0.enrichment.threat.map { .string($0.feeds.joined(separator: ",")) } }
  package static let threatCategory = Field(
    "threat.category", .keyword, "The best match's category (`tor`, `botnet`, `scanner`, …), when its feed gives one.",
    schemaVersion: 3, ecs: "threat.enrichments[].indicator.description", ocsf: "enrichments[].data.category",
    restore: { $0.enrichment.threat?.category = $1.string }
  ) { $0.enrichment.threat?.category.field }
  package static let threatConfidence = Field(
    "threat.confidence", .integer, "The best match's confidence, 0–100, when its feed gives one.",
    schemaVersion: 3, ecs: "threat.enrichments[].indicator.confidence (Low/Medium/High)",
    ocsf: "enrichments[].data.confidence", restore: { $0.enrichment.threat?.confidence = $1.integer }
  ) { $0.enrichment.threat?.confidence.field }
  package static let threatIndicator = Field(
    "threat.indicator", .keyword, "The listed address or block that matched (`203.0.113.0/24`).",
    schemaVersion: 3, ecs: "threat.enrichments[].indicator.ip, threat.enrichments[].matched.atomic",
    ocsf: "enrichments[].value", restore: { $0.enrichment.threat?.indicator = $1.string ?? "" }
  ) { $0.enrichment.threat.map { .string($0.indicator) } }
  package static let vaultName = Field(
    "vault.name", .text, "The vault's name, from the user's vault lookup table.", schemaVersion: 3,
    ecs: "vigil.vault.name", ocsf: "unmapped.vault_name", restore: { $0.enrichment.vaultName = $1.string }
  ) { $0.enrichment.vaultName.field }
  package static let itemTitle = Field(
    "item.title", .text, "The item's title, from the user's item lookup table.", aliases: ["title"], schemaVersion: 3,
    ecs: "vigil.item.title", ocsf: "entity.name (item usages)", restore: { $0.enrichment.itemTitle = $1.string }
  ) { $0.enrichment.itemTitle.field }
  package static let userDepartment = Field(
    "user.department", .keyword, "The acting user's department, from the user lookup table.",
    aliases: ["department"], searchable: true, schemaVersion: 3, ecs: "vigil.user.department",
    ocsf: "user.org.ou_name (sign-ins), actor.user.org.ou_name", restore: { $0.enrichment.userDepartment = $1.string }
  ) { $0.enrichment.userDepartment.field }
  package static let userManager = Field(
    "user.manager", .keyword, "The acting user's manager, from the user lookup table.", aliases: ["manager"],
    schemaVersion: 3, ecs: "vigil.user.manager", ocsf: "unmapped.user_manager",
    restore: { $0.enrichment.userManager = $1.string }
  ) { $0.enrichment.userManager.field }

  /// All fields, in documentation order.
  package static let fields: [Field] = [
    account, stream, uuid, time, ingested, outcome, action, type,
    userID, userEmail, userName, userType, userAccountUUID,
    targetType, targetID, targetEmail, targetName,
    auxID, auxUUID, auxEmail, auxName, auxInfo,
    sourceIP, countryCode, countryName, region, city, latitude, longitude,
    clientApp, clientAppVersion, clientPlatform, clientPlatformVersion, clientOS, clientOSVersion,
    vaultID, itemID, itemVersion, sessionID, sessionLoginTime, deviceID, details, accountUUID,
    geoSource, asNumber, asOrganization, network, threatFeed, threatCategory, threatConfidence, threatIndicator,
    vaultName, itemTitle, userDepartment, userManager,
  ]

  /// The fields stored beside the raw JSON because normalizing again cannot give them back: geo a
  /// database filled in, and every enrichment. A store restores them when it reads an event, and a
  /// rescan changes only them.
  package static let restoredFields = fields.filter { $0.restore != nil }

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
