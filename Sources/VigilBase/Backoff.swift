/// Capped exponential backoff with jitter: attempt n waits between half and all of min(cap, base·2ⁿ).
package struct Backoff: Hashable, Sendable {
  package var base: Double
  package var cap: Double

  package static let standard = Backoff(base: 1, cap: 30)

  package init(base: Double, cap: Double) {
    self.base = base
    self.cap = cap
  }

  package func delay(attempt: Int, using generator: inout some RandomNumberGenerator) -> Double {
    let ceiling = min(cap, base * Double(1 << min(max(attempt, 0), 30)))
    return ceiling * Double.random(in: 0.5...1, using: &generator)
  }
}
