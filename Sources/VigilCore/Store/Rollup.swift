/// A pre-aggregated count of events, kept exact by the store in the same transaction as the events
/// themselves: per time bucket and per combination of its dimension fields, how many events there were
/// (and, for the map, the sums of their coordinates). Searches whose fields are all dimensions read a
/// rollup for the whole buckets of their time range and the events table only for the partial buckets
/// at its edges, so dashboards over months of events read thousands of rows instead of millions.
package struct Rollup: Sendable {
  /// The family (`activity`, `users`): rollups of one family have the same dimensions.
  package let family: String
  package let granularity: Granularity
  /// Key columns before the bucket: searches almost always name them, so they narrow the scan.
  package let leading: [Field]
  /// Key columns after the bucket.
  package let trailing: [Field]
  /// Whether the rollup keeps latitude and longitude sums (the `geo` stage's coordinates).
  package let keepsCoordinates: Bool
  /// The store migration that created the rollup's tables (a store older than it builds them then).
  package let introduced: Int

  package enum Granularity: Int64, Sendable, CaseIterable {
    case hour = 3_600_000_000_000
    case day = 86_400_000_000_000

    package var name: String { self == .hour ? "hour" : "day" }
    package var nanoseconds: Int64 { rawValue }
  }

  package var table: String { "rollup_\(family)_\(granularity.name)" }
  package var dimensions: [Field] { leading + trailing }

  /// The bucket an instant falls in (its start, in nanoseconds since the epoch).
  package func bucket(_ nanoseconds: Int64) -> Int64 { Self.floor(nanoseconds, granularity.nanoseconds) }

  /// The multiple of `step` at or below `value` (saturating at the ends of the 64-bit range).
  package static func floor(_ value: Int64, _ step: Int64) -> Int64 {
    let remainder = value % step
    guard remainder < 0 else { return value - remainder }
    let (result, overflow) = (value - remainder).subtractingReportingOverflow(step)
    return overflow ? Int64.min : result
  }

  /// The multiple of `step` at or above `value` (saturating at the ends of the 64-bit range).
  package static func ceil(_ value: Int64, _ step: Int64) -> Int64 {
    let floored = floor(value, step)
    guard floored != value else { return value }
    let (result, overflow) = floored.addingReportingOverflow(step)
    return overflow ? Int64.max : result
  }

  /// The rollups the store keeps, smallest family first (the planner takes the first that covers a search).
  package static let all: [Rollup] = [activity, users, targets, clients, places].flatMap { family in
    Granularity.allCases.map(family)
  }

  /// Who did what from where, without the user: overviews, categories, countries, actions, timecharts.
  private static func activity(_ granularity: Granularity) -> Rollup {
    Rollup(
      family: "activity", granularity: granularity, leading: [FieldCatalog.stream],
      trailing: [
        FieldCatalog.account, FieldCatalog.outcome, FieldCatalog.action, FieldCatalog.type, FieldCatalog.userType,
        FieldCatalog.countryCode, FieldCatalog.countryName,
      ],
      keepsCoordinates: true, introduced: 2)
  }

  /// Per user: top users by failures, by item usage, by admin changes.
  private static func users(_ granularity: Granularity) -> Rollup {
    Rollup(
      family: "users", granularity: granularity, leading: [FieldCatalog.stream, FieldCatalog.outcome],
      trailing: [FieldCatalog.account, FieldCatalog.action, FieldCatalog.userEmail], keepsCoordinates: false,
      introduced: 2)
  }

  /// What audit events acted on: target types by action (user lifecycle, groups, MFA, service accounts).
  private static func targets(_ granularity: Granularity) -> Rollup {
    Rollup(
      family: "targets", granularity: granularity, leading: [FieldCatalog.stream],
      trailing: [
        FieldCatalog.account, FieldCatalog.outcome, FieldCatalog.action, FieldCatalog.targetType, FieldCatalog.userType,
      ],
      keepsCoordinates: false, introduced: 7)
  }

  /// What people used: client app, OS and platform (item usage and sign-in breakdowns).
  private static func clients(_ granularity: Granularity) -> Rollup {
    Rollup(
      family: "clients", granularity: granularity, leading: [FieldCatalog.stream, FieldCatalog.outcome],
      trailing: [
        FieldCatalog.account, FieldCatalog.action, FieldCatalog.userType, FieldCatalog.clientApp,
        FieldCatalog.clientOS, FieldCatalog.clientPlatform,
      ],
      keepsCoordinates: false, introduced: 7)
  }

  /// Where from, finer than the country: region, city and the network's organisation, with the
  /// coordinates of each city (the map's points).
  private static func places(_ granularity: Granularity) -> Rollup {
    Rollup(
      family: "places", granularity: granularity, leading: [FieldCatalog.stream, FieldCatalog.outcome],
      trailing: [
        FieldCatalog.account, FieldCatalog.countryCode, FieldCatalog.countryName, FieldCatalog.region,
        FieldCatalog.city, FieldCatalog.asOrganization,
      ],
      keepsCoordinates: true, introduced: 7)
  }
}
