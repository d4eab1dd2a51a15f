import VigilBase
import VigilJSON

/// Wire shapes of the Events API, v1 and v2. Every field is optional: the API omits or nulls optional
/// objects, old data lacks newer fields, and a collector must keep whatever arrives.

/// `target_user`, `user`: who signed in or used an item.
package struct WireUser: Hashable, Sendable {
  package var uuid: String?
  package var name: String?
  package var email: String?
  /// v2 only.
  package var userType: String?
  /// v2 only (MSP): the account the user belongs to.
  package var userAccountUUID: String?

  package init(
    uuid: String? = nil, name: String? = nil, email: String? = nil, userType: String? = nil,
    userAccountUUID: String? = nil
  ) {
    self.uuid = uuid
    self.name = name
    self.email = email
    self.userType = userType
    self.userAccountUUID = userAccountUUID
  }
}

/// `client`: the app that made the request.
package struct WireClient: Hashable, Sendable {
  package var appName: String?
  package var appVersion: String?
  package var platformName: String?
  package var platformVersion: String?
  package var osName: String?
  package var osVersion: String?
  package var ipAddress: String?

  package init(
    appName: String? = nil, appVersion: String? = nil, platformName: String? = nil, platformVersion: String? = nil,
    osName: String? = nil, osVersion: String? = nil, ipAddress: String? = nil
  ) {
    self.appName = appName
    self.appVersion = appVersion
    self.platformName = platformName
    self.platformVersion = platformVersion
    self.osName = osName
    self.osVersion = osVersion
    self.ipAddress = ipAddress
  }
}

/// `location`: the API's geolocation of the client. `country` is an ISO code or a full name.
package struct WireLocation: Hashable, Sendable {
  package var country: String?
  package var region: String?
  package var city: String?
  package var latitude: Double?
  package var longitude: Double?

  package init(
    country: String? = nil, region: String? = nil, city: String? = nil, latitude: Double? = nil,
    longitude: Double? = nil
  ) {
    self.country = country
    self.region = region
    self.city = city
    self.latitude = latitude
    self.longitude = longitude
  }
}

/// `session` of an audit event.
package struct WireSession: Hashable, Sendable {
  package var uuid: String?
  package var loginTime: Timestamp?
  package var deviceUUID: String?
  package var ip: String?

  package init(uuid: String? = nil, loginTime: Timestamp? = nil, deviceUUID: String? = nil, ip: String? = nil) {
    self.uuid = uuid
    self.loginTime = loginTime
    self.deviceUUID = deviceUUID
    self.ip = ip
  }
}

package struct SignInAttempt: Hashable, Sendable {
  package var uuid: String?
  package var sessionUUID: String?
  package var timestamp: Timestamp?
  package var category: SignInCategory?
  package var type: SignInType?
  package var country: String?
  /// `details.value`, e.g. the continent, country or IP that a firewall rule blocked.
  package var detailsValue: String?
  package var targetUser: WireUser?
  package var client: WireClient?
  package var location: WireLocation?
  /// v2 only.
  package var accountUUID: String?

  package init() {}
}

package struct ItemUsage: Hashable, Sendable {
  package var uuid: String?
  package var timestamp: Timestamp?
  package var usedVersion: Int?
  package var vaultUUID: String?
  package var itemUUID: String?
  package var action: ItemUsageAction?
  package var user: WireUser?
  package var client: WireClient?
  package var location: WireLocation?
  /// v2 only.
  package var accountUUID: String?

  package init() {}
}

package struct AuditEvent: Hashable, Sendable {
  package var uuid: String?
  package var timestamp: Timestamp?
  package var actorUUID: String?
  package var actorDetails: WireUser?
  /// v2 only: `user` or `external_user`.
  package var actorType: String?
  /// v2 only.
  package var actorAccountUUID: String?
  /// v2 only.
  package var accountUUID: String?
  package var action: AuditAction?
  package var objectType: AuditObjectType?
  package var objectUUID: String?
  package var objectDetails: WireUser?
  package var auxID: Int?
  package var auxUUID: String?
  package var auxDetails: WireUser?
  package var auxInfo: String?
  package var session: WireSession?
  package var location: WireLocation?

  package init() {}
}

/// One item of any stream, as typed view plus the exact bytes the API sent.
package enum WireEvent: Hashable, Sendable {
  case signInAttempt(SignInAttempt)
  case itemUsage(ItemUsage)
  case auditEvent(AuditEvent)

  package var stream: EventStream {
    switch self {
    case .signInAttempt: .signInAttempts
    case .itemUsage: .itemUsages
    case .auditEvent: .auditEvents
    }
  }

  package var uuid: String? {
    switch self {
    case .signInAttempt(let event): event.uuid
    case .itemUsage(let event): event.uuid
    case .auditEvent(let event): event.uuid
    }
  }

  package var timestamp: Timestamp? {
    switch self {
    case .signInAttempt(let event): event.timestamp
    case .itemUsage(let event): event.timestamp
    case .auditEvent(let event): event.timestamp
    }
  }
}

/// An item as received: typed view and verbatim raw JSON.
package struct ReceivedEvent: Hashable, Sendable {
  package var event: WireEvent
  /// The item's bytes exactly as they appeared in the response.
  package var raw: [UInt8]

  package init(event: WireEvent, raw: [UInt8]) {
    self.event = event
    self.raw = raw
  }
}
