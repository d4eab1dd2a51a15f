import VigilBase
import VigilEventsAPIModel

/// Produces one day of ordinary activity for an organisation: sign-ins at the start of work sessions,
/// item usages through the working day, admin changes, and service accounts fetching secrets around the
/// clock. Work hours follow each member's home time zone; weekends are quiet.
package struct ActivityGenerator: Sendable {
  package let organisation: Organisation
  package let seed: UInt64
  package let accountIndex: Int

  package init(organisation: Organisation, seed: UInt64, accountIndex: Int) {
    self.organisation = organisation
    self.seed = seed
    self.accountIndex = accountIndex
  }

  /// Events of the UTC day `day` (days since 1970-01-01).
  package func events(day: Int) -> [EmulatedEvent] {
    var random = SeededGenerator(seed: seed, purpose: "day-\(accountIndex)", index: day)
    var output: [EmulatedEvent] = []
    let weekday = (day + 4) % 7  // 1970-01-01 was a Thursday; 0 = Sunday
    let weekend = weekday == 0 || weekday == 6
    let dayStart = Int64(day) * 86_400
    for member in organisation.members {
      guard random.chance(weekend ? 0.1 : 0.93) else { continue }
      let whereabouts = Trip.whereabouts(of: member, day: day, seed: seed, account: accountIndex)
      guard let (city, address) = whereabouts.place(home: member) else { continue }
      let startHour = Double.random(in: 7.5...10, using: &random)
      let endHour = startHour + Double.random(in: 6...10, using: &random)
      func localTime(_ hour: Double) -> Timestamp {
        Timestamp(seconds: dayStart).adding(seconds: (hour - Double(city.utcOffsetHours)) * 3600)
      }
      let sessions = Int.random(in: 1...3, using: &random)
      for session in 0..<sessions {
        let hour = startHour + (endHour - startHour) * Double(session) / Double(sessions)
        let device = random.pick(member.devices)
        append(
          .signInAttempt(
            signIn(member: member, device: device, city: city, address: address, at: localTime(hour), using: &random)),
          to: &output, using: &random)
      }
      let usageCount = Int((member.activity * (weekend ? 0.3 : Double.random(in: 0.5...1.5, using: &random))).rounded())
      for _ in 0..<usageCount {
        let at = localTime(Double.random(in: startHour...endHour, using: &random))
        let device = random.pick(member.devices)
        append(
          .itemUsage(itemUsage(member: member, device: device, city: city, address: address, at: at, using: &random)),
          to: &output, using: &random)
      }
      if member.isAdmin, !weekend {
        for _ in 0..<Int.random(in: 0...4, using: &random) {
          let at = localTime(Double.random(in: startHour...endHour, using: &random))
          append(
            .auditEvent(
              AuditCatalog.adminChange(by: member, in: self, city: city, address: address, at: at, using: &random)),
            to: &output, using: &random)
        }
      } else if random.chance(0.08) {
        let at = localTime(Double.random(in: startHour...endHour, using: &random))
        append(
          .auditEvent(
            AuditCatalog.selfChange(by: member, in: self, city: city, address: address, at: at, using: &random)),
          to: &output, using: &random)
      }
    }
    for account in organisation.serviceAccounts {
      for _ in 0..<Int.random(in: 8...16, using: &random) {
        let at = Timestamp(seconds: dayStart).adding(seconds: Double.random(in: 0..<86_400, using: &random))
        for burst in 0..<Int.random(in: 1...5, using: &random) {
          append(
            .itemUsage(serverFetch(account, at: at.adding(seconds: Double(burst) * 0.2), using: &random)),
            to: &output, using: &random)
        }
      }
    }
    return output
  }

  private func append(_ event: WireEvent, to output: inout [EmulatedEvent], using random: inout SeededGenerator) {
    guard let timestamp = event.timestamp else { return }
    let delay = InsertionDelay.draw(for: event.stream, using: &random)
    output.append(EmulatedEvent(event: event, insertedAt: timestamp.adding(seconds: delay)))
  }

  func wireUser(_ member: Organisation.Member) -> WireUser {
    var user = member.wireUser
    user.userType = member.isExternal ? "external_user" : "user"
    user.userAccountUUID = member.userAccountUUID ?? organisation.accountUUID
    return user
  }

  func location(_ city: City, using random: inout SeededGenerator) -> WireLocation {
    // The API reports the country as an ISO code, but real data also carries full names.
    WireLocation(
      country: random.chance(0.2) ? city.countryName : city.countryCode, region: city.region, city: city.name,
      latitude: city.latitude, longitude: city.longitude)
  }

  private func signIn(
    member: Organisation.Member, device: Organisation.Device, city: City, address: String, at time: Timestamp,
    using random: inout SeededGenerator
  ) -> SignInAttempt {
    let (category, type) = SignInCatalog.ordinary(using: &random)
    var event = SignInAttempt()
    event.uuid = Base32ID.make(using: &random)
    event.sessionUUID = Base32ID.make(using: &random)
    event.timestamp = time.adding(seconds: Double.random(in: 0..<1, using: &random))
    event.category = category
    event.type = type
    event.country = random.chance(0.2) ? city.countryName : city.countryCode
    if category == .firewallFailed || category == .firewallReportedSuccess {
      event.detailsValue = SignInCatalog.firewallDetail(for: type, city: city, address: address)
    }
    event.targetUser = wireUser(member)
    var client = device.client
    client.ipAddress = address
    event.client = client
    event.location = location(city, using: &random)
    event.accountUUID = organisation.accountUUID
    return event
  }

  private func itemUsage(
    member: Organisation.Member, device: Organisation.Device, city: City, address: String, at time: Timestamp,
    using random: inout SeededGenerator
  ) -> ItemUsage {
    let vault = organisation.vaults[random.pick(member.vaults)]
    var event = ItemUsage()
    event.uuid = Base32ID.make(using: &random)
    event.timestamp = time
    event.usedVersion = Int.random(in: 1...12, using: &random)
    event.vaultUUID = vault.uuid
    event.itemUUID = random.pick(vault.items)
    event.action = random.weighted(ItemUsageCatalog.memberActions)
    event.user = wireUser(member)
    var client = device.client
    client.ipAddress = address
    event.client = client
    event.location = location(city, using: &random)
    event.accountUUID = organisation.accountUUID
    return event
  }

  private func serverFetch(
    _ account: Organisation.ServiceAccount, at time: Timestamp, using random: inout SeededGenerator
  )
    -> ItemUsage
  {
    let vault = organisation.vaults[account.vault]
    var event = ItemUsage()
    event.uuid = Base32ID.make(using: &random)
    event.timestamp = time
    event.usedVersion = Int.random(in: 1...4, using: &random)
    event.vaultUUID = vault.uuid
    event.itemUUID = random.pick(vault.items)
    event.action = random.chance(0.97) ? "server-fetch" : random.pick(["server-update", "server-create"])
    event.user = WireUser(
      uuid: account.uuid, name: account.name, email: account.email, userType: "service_account",
      userAccountUUID: organisation.accountUUID)
    var client = ClientCatalog.server(random.chance(0.5) ? "1Password SDK" : "1Password Connect")
    client.ipAddress = account.address
    event.client = client
    event.location = location(Geography.dataCentre, using: &random)
    event.accountUUID = organisation.accountUUID
    return event
  }
}
