import Logging
import VigilBase
import VigilCore
import VigilEventsAPI
import VigilEventsAPIModel

/// Collects one account × stream: resumes from the stored cursor, reads pages as fast as the token's
/// budget allows while behind, commits each page's events together with its cursor, and waits the poll
/// interval once caught up. A page whose commit fails is read again: nothing is lost, and the store's
/// uniqueness absorbs anything read twice.
struct StreamCollector: Sendable {
  let key: StreamKey
  let account: CollectorAccount
  let store: any IngestStore
  let clock: any VigilClock
  let options: CollectorOptions
  let logger: Logger
  let control: CollectorControl
  let enrichment: EnrichmentProvider?
  let report: @Sendable (PageReport) -> Void

  func run() async -> StreamOutcome {
    let stage = IngestStage(key: key)
    var generator = SystemRandomNumberGenerator()
    var reader: StreamReader
    var failedRounds = 0
    // The stored state: cursor to resume from, newest event time for a cursor reset.
    while true {
      do {
        let state = try await store.streamState(key)
        reader = StreamReader(
          client: account.client, stream: key.stream, cursor: options.keepCursor ? nil : state?.cursor,
          startTime: account.start)
        reader.newestTimestamp = options.keepCursor ? nil : state?.newestEventTime
        break
      } catch {
        failedRounds += 1
        logger.error("cannot read the stream's state from the store", metadata: ["error": "\(error)"])
        if let end = await retry(after: error.description, round: failedRounds, using: &generator) { return end }
      }
    }
    failedRounds = 0
    while !control.isStopping {
      let saved = reader
      let page: EventPage
      let caughtUp: Bool
      do {
        (page, caughtUp) = try await reader.next()
      } catch {
        reader = saved
        failedRounds += 1
        let message = describe(error)
        await recordFailure(message)
        if error.isAuthorization {
          if options.untilCaughtUp {
            logger.error(
              "the account's token was refused; giving up on this stream", metadata: ["reason": "\(message)"])
            return .failed(message)
          }
          logger.error(
            "the account's token was refused; asking again later",
            metadata: ["reason": "\(message)", "retry_in_s": "\(Int(options.unauthorizedRetry))"])
          guard await control.idle(options.unauthorizedRetry, clock: clock) else { return .stopped }
        } else {
          // Throttling passes by itself (another client may share the token): wait, never give up on it.
          if case .rateLimited = error { failedRounds = min(failedRounds, options.roundsBeforeGivingUp - 1) }
          if let end = await retry(after: message, round: failedRounds, using: &generator) { return end }
        }
        continue
      }
      // One enrichment snapshot per page: a reload in the middle never splits a page between versions.
      let output = stage.process(
        page, cursor: options.keepCursor ? nil : reader.paging.cursor, caughtUp: caughtUp, at: clock.now,
        enricher: enrichment?.enricher)
      let batch = output.batch
      let position = output.position
      if batch.malformed > 0 {
        logger.warning("the API sent items that cannot be kept", metadata: ["count": "\(batch.malformed)"])
      }
      do {
        let result = try await store.commit(batch)
        failedRounds = 0
        report(
          PageReport(
            key: key, inserted: result.inserted, duplicates: result.duplicates, position: position,
            caughtUp: caughtUp))
        logger.debug(
          "page committed",
          metadata: [
            "inserted": "\(result.inserted)", "duplicates": "\(result.duplicates)", "caught_up": "\(caughtUp)",
          ])
      } catch {
        // Nothing of this page was stored and the cursor did not move: read it again.
        reader = saved
        failedRounds += 1
        let message = "cannot store events: \(error.description)"
        await recordFailure(message)
        if let end = await retry(after: message, round: failedRounds, using: &generator) { return end }
        continue
      }
      if caughtUp {
        if options.untilCaughtUp { return .caughtUp }
        guard await control.idle(options.pollInterval, clock: clock) else { return .stopped }
      }
    }
    return .stopped
  }

  /// After the `round`-th failure in a row: gives up (with `--until-caught-up`, after enough rounds) or
  /// backs off, and logs which of the two it does. Nil means try again.
  private func retry(after message: String, round: Int, using generator: inout SystemRandomNumberGenerator) async
    -> StreamOutcome?
  {
    if options.untilCaughtUp, round >= options.roundsBeforeGivingUp {
      logger.error(
        "collection failed; giving up on this stream", metadata: ["reason": "\(message)", "rounds": "\(round)"])
      return .failed(message)
    }
    let delay = options.failureBackoff.delay(attempt: round - 1, using: &generator)
    logger.warning(
      "collection failed; the page will be read again",
      metadata: ["reason": "\(message)", "retry_in_s": "\((delay * 10).rounded() / 10)"])
    return await control.idle(delay, clock: clock) ? nil : .stopped
  }

  /// The error as the user reads it in logs and `vigil status`: for a page that is not a page, where
  /// its body was kept.
  private func describe(_ error: EventsAPIError) -> String {
    guard case .invalidResponse(_, _, let body) = error, !body.isEmpty, let quarantine = options.quarantine else {
      return error.description
    }
    switch quarantine.keep(body, for: key) {
    case .success(let path):
      return error.description + "; its body (\(body.count) bytes) is kept in \(path)"
    case .failure(let failure):
      logger.error("cannot keep the unreadable page", metadata: ["error": "\(failure)"])
      return error.description
    }
  }

  private func recordFailure(_ message: String) async {
    do {
      try await store.recordError(key, message: message, at: clock.now)
    } catch {
      logger.error("cannot record the failure in the store", metadata: ["error": "\(error)"])
    }
  }
}
