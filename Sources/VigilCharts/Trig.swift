import Foundation

/// The few functions of Foundation's maths the charts use, in one place.
enum Trig {
  static func sin(_ x: Double) -> Double { Foundation.sin(x) }
  static func cos(_ x: Double) -> Double { Foundation.cos(x) }
  static func log(_ x: Double) -> Double { Foundation.log(x) }
  static func squareRoot(_ x: Double) -> Double { x.squareRoot() }
}
