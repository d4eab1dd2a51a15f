import VigilCore
import VigilQuery

/// Why an override does not fit its rule.
package struct OverrideError: Error {
  package var message: String
}

extension Rule {
  /// Applies a user's override: severity, enabled, `where`, count, window, suppression.
  mutating func apply(_ override: RuleOverride) throws(OverrideError) {
    if let enabled = override.enabled { self.enabled = enabled }
    if let severity = override.severity { self.severity = severity }
    if let suppression = override.suppression { self.suppression = suppression }
    if let text = override.filter {
      do {
        let query = try QueryParser.parse(text, now: 0)
        guard query.stages.isEmpty else { throw OverrideError(message: "where must be a filter without `| …` stages") }
        filterText = text
        filter = MemoryFilter(query.filter)
      } catch let error as OverrideError {
        throw error
      } catch {
        throw OverrideError(message: "where is not a valid query: \(error)")
      }
    }
    if override.count != nil || override.window != nil {
      switch kind {
      case .threshold(let count, let window):
        kind = .threshold(count: override.count ?? count, window: override.window ?? window)
      case .distinct(let field, let count, let window):
        kind = .distinct(field: field, count: override.count ?? count, window: override.window ?? window)
      case .sequence(let steps, let window):
        guard override.count == nil else { throw OverrideError(message: "count does not apply to a sequence rule") }
        kind = .sequence(steps: steps, window: override.window ?? window)
      case .geoVelocity(var velocity):
        guard override.count == nil else { throw OverrideError(message: "count does not apply to a geo_velocity rule") }
        velocity.window = override.window ?? velocity.window
        kind = .geoVelocity(velocity)
      case .absence(let window):
        guard override.count == nil else { throw OverrideError(message: "count does not apply to an absence rule") }
        kind = .absence(window: override.window ?? window)
      case .match, .newValue:
        throw OverrideError(message: "count and window do not apply to a \(kind.name) rule")
      }
    }
  }
}
