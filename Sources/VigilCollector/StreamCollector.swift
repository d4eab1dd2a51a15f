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
  var control: CollectorControl
  let enrichment: EnrichmentProvider?
  let report: @Sendable (PageReport) -> Void
  /// The stream's lease when collectors share the work: every commit carries it (fenced).
  var claim: LeaseClaim? = nil

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
    // Pages read but not committed yet (while behind), with the reader as it was before the first.
    var held: HeldPages?
    while !control.isStopping {
      let saved = reader
      let page: EventPage
      let caughtUp: Bool
      do {
        (page, caughtUp) = try await reader.next()
      } catch {
        reader = saved
        // What was read before the failure is good: store it before anything else.
        if let pending = held {
          held = nil
          if let message = await flush(pending) {
            reader = pending.saved
            failedRounds += 1
            if let end = await retry(after: message, round: failedRounds, using: &generator) { return end }
            continue
          }
        }
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
      if output.batch.malformed > 0 {
        logger.warning("the API sent items that cannot be kept", metadata: ["count": "\(output.batch.malformed)"])
      }
      var pending = held ?? HeldPages(saved: saved, since: clock.now)
      pending.add(output)
      let due =
        caughtUp || control.isStopping || pending.eventCount >= options.eventsPerCommit
        || clock.now.epochSeconds - pending.since.epochSeconds >= options.secondsPerCommit
      guard due else {
        held = pending
        continue
      }
      held = nil
      if let message = await flush(pending) {
        // Nothing of these pages was stored and the cursor did not move: read them again.
        reader = pending.saved
        failedRounds += 1
        if let end = await retry(after: message, round: failedRounds, using: &generator) { return end }
        continue
      }
      failedRounds = 0
      if caughtUp {
        if options.untilCaughtUp { return .caughtUp }
        guard await control.idle(options.pollInterval, clock: clock) else { return .stopped }
      }
    }
    // A stop between reading a page and deciding to commit it: store what is held.
    if let pending = held { _ = await flush(pending) }
    return .stopped
  }

  /// Commits held pages with their cursor in one transaction; nil on success, else the message
  /// recorded as the stream's failure.
  private func flush(_ pending: HeldPages) async -> String? {
    guard var batch = pending.batch else { return nil }
    batch.claim = claim
    do {
      let result = try await store.commit(batch)
      let page = PageReport(
        key: key, inserted: result.inserted, duplicates: result.duplicates, position: pending.position,
        caughtUp: batch.caughtUp)
      CollectorMetrics.committed(page, now: clock.now)
      report(page)
      logger.debug(
        "pages committed",
        metadata: [
          "pages": "\(pending.pages)", "inserted": "\(result.inserted)", "duplicates": "\(result.duplicates)",
          "caught_up": "\(batch.caughtUp)",
        ])
      await recordRate(every: 5)
      return nil
    } catch {
      if case .leaseLost = error {
        // Another worker has the stream now: stop here, without recording a failure for it.
        logger.notice("the stream's lease ran out before this commit; another worker collects it now")
        control.stop()
        return error.description
      }
      let message = "cannot store events: \(error.description)"
      await recordFailure(message)
      return message
    }
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
    await recordRate()
  }

  /// Saves the token's request budget for the health page, at most once every `seconds` for the
  /// account (failures always: a hold after a 429 should show at once); a failure here costs nothing else.
  private func recordRate(every seconds: Double = 0) async {
    guard let usage = await account.client.gate.usage(every: seconds) else { return }
    do {
      try await store.recordRate(RateStatus(account: key.account, usage: usage, at: clock.now))
    } catch {
      logger.debug("cannot record the request budget", metadata: ["error": "\(error)"])
    }
  }
}

/// Pages read while behind and not committed yet.
struct HeldPages {
  /// The reader before the first held page: where to read again if the commit fails.
  var saved: StreamReader
  /// When the first page was held.
  var since: Timestamp
  var batch: IngestBatch? = nil
  /// The newest event time among the held pages.
  var position: Timestamp? = nil
  var pages = 0

  var eventCount: Int { batch?.events.count ?? 0 }

  mutating func add(_ output: IngestStage.Output) {
    pages += 1
    if batch == nil { batch = output.batch } else { batch?.absorb(output.batch) }
    if let newer = output.position, position.map({ newer > $0 }) ?? true { position = newer }
  }
}
