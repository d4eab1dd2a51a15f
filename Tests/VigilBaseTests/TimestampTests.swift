import Testing
import VigilTestSupport

@testable import VigilBase

@Suite struct TimestampTests {
  @Test(arguments: [
    ("2021-08-11T15:04:22Z", "2021-08-11T15:04:22Z"),
    ("2022-10-24T21:16:52.827288935Z", "2022-10-24T21:16:52.827288935Z"),
    ("2023-03-15T16:33:50-03:00", "2023-03-15T19:33:50Z"),
    ("2020-06-11T16:32:50+05:30", "2020-06-11T11:02:50Z"),
    ("2024-02-29T23:59:59.1z", "2024-02-29T23:59:59.1Z"),
    ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
    ("2024-01-01 00:00:00Z", "2024-01-01T00:00:00Z"),
  ])
  func parsesAndPrints(input: String, expected: String) {
    #expect(Timestamp(rfc3339: input)?.rfc3339 == expected)
  }

  @Test(arguments: [
    "", "2021-08-11", "2021-08-11T15:04:22", "2021-13-11T15:04:22Z", "2023-02-29T00:00:00Z", "2021-08-11T25:00:00Z",
    "2021-08-11T15:04:22.Z", "2021-08-11T15:04:22+0100", "2021-08-11T15:04:22Zjunk", "２０２１-08-11T15:04:22Z",
  ])
  func rejects(input: String) {
    #expect(Timestamp(rfc3339: input) == nil)
  }

  @Test func ordersAndAdds() {
    let a = Timestamp(seconds: 10, nanoseconds: 999_999_999)
    let b = a.adding(seconds: 0.000_000_001)
    #expect(b == Timestamp(seconds: 11, nanoseconds: 0))
    #expect(a < b)
    #expect(b.adding(seconds: -1.5) == Timestamp(seconds: 9, nanoseconds: 500_000_000))
  }

  @Test func civilRoundTripOverCenturies() {
    for days in stride(from: -800_000, through: 800_000, by: 997) {
      let (year, month, day) = Timestamp.civilFromDays(days)
      #expect(Timestamp.daysFromCivil(year: year, month: month, day: day) == days)
    }
  }
}
