import VigilBase

/// What a notification tells a notifier about an alert.
package enum NotificationAction: String, CaseIterable, Sendable, Hashable, Codable {
  /// A new alert (or one reopened after it was closed).
  case trigger
  case acknowledge
  case resolve

  /// The action that a change of an alert's status to `status` sends.
  package init(status: AlertStatus) {
    switch status {
    case .open: self = .trigger
    case .acknowledged: self = .acknowledge
    case .closed: self = .resolve
    }
  }
}

/// One notification waiting in the outbox, or already handled.
package struct OutboxEntry: Hashable, Sendable {
  package enum State: String, Sendable, Hashable, CaseIterable {
    case pending, delivered, failed
    /// The notifier does not send this action (Slack and email send new alerts only).
    case skipped
  }

  package var id: Int64
  package var alertID: String
  package var notifier: String
  package var action: NotificationAction
  package var state: State
  /// Delivery attempts made so far.
  package var attempts: Int
  package var createdAt: Timestamp
  /// When the receiver accepted it (delivered ones).
  package var deliveredAt: Timestamp?
  /// How the latest failed attempt went, and when (never a secret).
  package var lastError: String?
  package var lastErrorAt: Timestamp?

  package init(
    id: Int64, alertID: String, notifier: String, action: NotificationAction, state: State = .pending,
    attempts: Int = 0, createdAt: Timestamp
  ) {
    self.id = id
    self.alertID = alertID
    self.notifier = notifier
    self.action = action
    self.state = state
    self.attempts = attempts
    self.createdAt = createdAt
  }
}

/// How one delivery attempt ended.
package enum DeliveryOutcome: Hashable, Sendable {
  case delivered
  /// The notifier does not send this kind of notification; nothing was sent.
  case skipped
  /// Failed; try again at `next`. The error never holds a secret.
  case retry(error: String, next: Timestamp)
  /// Failed for good (a permanent error, or too many attempts).
  case failed(error: String)
}

/// How one notifier has fared, for `vigil status`.
package struct NotifierSummary: Hashable, Sendable {
  package var notifier: String
  package var pending = 0
  package var delivered = 0
  package var failed = 0
  package var lastDeliveredAt: Timestamp?
  package var lastError: String?
  package var lastErrorAt: Timestamp?

  package init(notifier: String) { self.notifier = notifier }
}

/// Notifications as a store role. Detection adds an alert's notifications in the transaction that
/// creates the alert, and a status change adds its own, so nothing is notified that was not stored
/// and nothing stored goes unnotified. A dispatcher takes what is due and records each attempt:
/// delivery is at least once.
package protocol NotificationOutbox: Sendable {
  /// Pending notifications whose next attempt is due at `time`, oldest first.
  func dueNotifications(at time: Timestamp, limit: Int) async throws(StoreError) -> [OutboxEntry]

  /// Records one attempt at notification `id`.
  func recordDelivery(_ id: Int64, outcome: DeliveryOutcome, at time: Timestamp) async throws(StoreError)

  /// Per notifier: what waits, what was delivered or failed, and the last error.
  func notificationSummary() async throws(StoreError) -> [NotifierSummary]

  /// Every notification of one alert, oldest first.
  func notifications(alert id: String) async throws(StoreError) -> [OutboxEntry]

  /// Forgets handled notifications (delivered, skipped, failed) created before `time`; pending ones
  /// stay whatever their age. Returns how many were forgotten.
  func pruneNotifications(before time: Timestamp) async throws(StoreError) -> Int
}
