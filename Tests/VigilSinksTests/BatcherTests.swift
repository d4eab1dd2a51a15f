import Testing
import VigilBase
import VigilEventsAPIModel
import VigilSinks

/// Batches close at the count limit, at the byte limit and after their time; an oversized record
/// travels alone; the first pending sequence bounds the checkpoint.
@Suite struct BatcherTests {
  static func record(_ sequence: Int64, bytes: Int = 10) -> SinkRecord {
    SinkRecord(
      sequence: sequence, account: "a", stream: .signInAttempts, uuid: "u\(sequence)", time: Timestamp(seconds: 0),
      bytes: Array(repeating: 0x61, count: bytes))
  }

  @Test func batchesCloseAtTheCountLimit() {
    var batcher = Batcher(limits: .init(events: 3, bytes: 1_000, seconds: 10))
    for sequence in 1...7 { batcher.add(Self.record(Int64(sequence)), now: 0) }
    #expect(batcher.take(now: 0)?.map(\.sequence) == [1, 2, 3])
    #expect(batcher.take(now: 0)?.map(\.sequence) == [4, 5, 6])
    #expect(batcher.take(now: 0) == nil)
    #expect(batcher.firstPendingSequence == 7)
    #expect(batcher.secondsUntilDue(now: 4) == 6)
    #expect(batcher.take(now: 10)?.map(\.sequence) == [7])
    #expect(batcher.count == 0)
    #expect(batcher.firstPendingSequence == nil)
  }

  @Test func batchesCloseAtTheByteLimitAndBigRecordsTravelAlone() {
    var batcher = Batcher(limits: .init(events: 100, bytes: 25, seconds: 10))
    batcher.add(Self.record(1), now: 0)
    batcher.add(Self.record(2), now: 0)
    batcher.add(Self.record(3), now: 0)
    batcher.add(Self.record(4, bytes: 100), now: 0)
    batcher.add(Self.record(5), now: 0)
    #expect(batcher.take(now: 0)?.map(\.sequence) == [1, 2])
    #expect(batcher.take(now: 0)?.map(\.sequence) == [3])
    #expect(batcher.take(now: 0)?.map(\.sequence) == [4])
    #expect(batcher.take(now: 0) == nil)
    #expect(batcher.take(now: 0, force: true)?.map(\.sequence) == [5])
  }

  @Test func receiverLimitsCapTheUsers() {
    let user = Batcher.Limits(events: 10_000, bytes: 50 << 20, seconds: 30)
    let capped = user.capped(by: .init(events: 1_000, bytes: 5_000_000, seconds: 5))
    #expect(capped == Batcher.Limits(events: 1_000, bytes: 5_000_000, seconds: 5))
  }
}
