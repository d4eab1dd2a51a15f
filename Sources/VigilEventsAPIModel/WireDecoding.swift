import VigilBase
import VigilJSON

/// Decoding of the wire types from the JSON tape. A value of the wrong type counts as absent: one odd
/// field never costs the whole event.
extension JSONValue {
  var object: JSONValue? { kind == .object ? self : nil }
  var timestamp: Timestamp? { withStringBytes { Timestamp(rfc3339Bytes: $0) } ?? nil }

  /// A string as an open enum value. (Not `string.map(E.init(rawValue:))`: that form crashes the
  /// Swift 6.3.1 optimizer in release builds.)
  func openEnum<E: OpenEnum>() -> E? {
    guard let text = string else { return nil }
    return E(rawValue: text)
  }
}

extension WireUser {
  init?(json: JSONValue?) {
    guard let json = json?.object else { return nil }
    self.init()
    for (key, value) in json.members {
      switch key {
      case "uuid": uuid = value.string
      case "name": name = value.string
      case "email": email = value.string
      case "user_type": userType = value.string
      case "user_account_uuid": userAccountUUID = value.string
      default: break
      }
    }
  }
}

extension WireClient {
  init?(json: JSONValue?) {
    guard let json = json?.object else { return nil }
    self.init()
    for (key, value) in json.members {
      switch key {
      case "app_name": appName = value.string
      case "app_version": appVersion = value.string
      case "platform_name": platformName = value.string
      case "platform_version": platformVersion = value.string
      case "os_name": osName = value.string
      case "os_version": osVersion = value.string
      case "ip_address": ipAddress = value.string
      default: break
      }
    }
  }
}

extension WireLocation {
  init?(json: JSONValue?) {
    guard let json = json?.object else { return nil }
    self.init()
    for (key, value) in json.members {
      switch key {
      case "country": country = value.string
      case "region": region = value.string
      case "city": city = value.string
      case "latitude": latitude = value.double
      case "longitude": longitude = value.double
      default: break
      }
    }
  }
}

extension WireSession {
  init?(json: JSONValue?) {
    guard let json = json?.object else { return nil }
    self.init()
    for (key, value) in json.members {
      switch key {
      case "uuid": uuid = value.string
      case "login_time": loginTime = value.timestamp
      case "device_uuid": deviceUUID = value.string
      case "ip": ip = value.string
      default: break
      }
    }
  }
}

extension SignInAttempt {
  package init?(json: JSONValue) {
    guard json.kind == .object else { return nil }
    self.init()
    for (key, value) in json.members {
      switch key {
      case "uuid": uuid = value.string
      case "session_uuid": sessionUUID = value.string
      case "timestamp": timestamp = value.timestamp
      case "category": category = value.openEnum()
      case "type": type = value.openEnum()
      case "country": country = value.string
      case "details": detailsValue = value.object?["value"]?.string
      case "target_user": targetUser = WireUser(json: value)
      case "client": client = WireClient(json: value)
      case "location": location = WireLocation(json: value)
      case "account_uuid": accountUUID = value.string
      default: break
      }
    }
  }
}

extension ItemUsage {
  package init?(json: JSONValue) {
    guard json.kind == .object else { return nil }
    self.init()
    for (key, value) in json.members {
      switch key {
      case "uuid": uuid = value.string
      case "timestamp": timestamp = value.timestamp
      case "used_version": usedVersion = value.int
      case "vault_uuid": vaultUUID = value.string
      case "item_uuid": itemUUID = value.string
      case "action": action = value.openEnum()
      case "user": user = WireUser(json: value)
      case "client": client = WireClient(json: value)
      case "location": location = WireLocation(json: value)
      case "account_uuid": accountUUID = value.string
      default: break
      }
    }
  }
}

extension AuditEvent {
  package init?(json: JSONValue) {
    guard json.kind == .object else { return nil }
    self.init()
    for (key, value) in json.members {
      switch key {
      case "uuid": uuid = value.string
      case "timestamp": timestamp = value.timestamp
      case "actor_uuid": actorUUID = value.string
      case "actor_details": actorDetails = WireUser(json: value)
      case "actor_type": actorType = value.string
      case "actor_account_uuid": actorAccountUUID = value.string
      case "account_uuid": accountUUID = value.string
      case "action": action = value.openEnum()
      case "object_type": objectType = value.openEnum()
      case "object_uuid": objectUUID = value.string
      case "object_details": objectDetails = WireUser(json: value)
      case "aux_id": auxID = value.int
      case "aux_uuid": auxUUID = value.string
      case "aux_details": auxDetails = WireUser(json: value)
      case "aux_info": auxInfo = value.string
      case "session": session = WireSession(json: value)
      case "location": location = WireLocation(json: value)
      default: break
      }
    }
  }
}

extension WireEvent {
  /// Decodes one item of `stream`; nil when the item is not a JSON object.
  package init?(stream: EventStream, json: JSONValue) {
    switch stream {
    case .signInAttempts:
      guard let event = SignInAttempt(json: json) else { return nil }
      self = .signInAttempt(event)
    case .itemUsages:
      guard let event = ItemUsage(json: json) else { return nil }
      self = .itemUsage(event)
    case .auditEvents:
      guard let event = AuditEvent(json: json) else { return nil }
      self = .auditEvent(event)
    }
  }
}
