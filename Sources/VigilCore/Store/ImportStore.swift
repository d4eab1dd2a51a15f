import VigilBase

/// What `vigil migrate` needs from its destination beyond the usual roles: to take a store's log and
/// alerts with their original numbers, so that consumers' checkpoints and sinks' alert positions
/// still mean the same events and changes.
package protocol ImportStore: Sendable {
  /// Stores events with their original sequence numbers; events already stored are skipped (a resumed
  /// migration). The log's next sequence number moves past the highest imported. Returns how many
  /// were added.
  func importEvents(_ events: [StoredEvent]) async throws(StoreError) -> Int

  /// Replaces these streams' collection state: cursor, counts and health.
  func importStreamStates(_ states: [StreamState]) async throws(StoreError)

  /// Replaces these alerts whole (status, history and revision included); the next revision moves
  /// past the highest imported.
  func importAlerts(_ alerts: [AlertRecord]) async throws(StoreError)

  /// Replaces the notifications whole with these, in their order: alert, notifier, action, state,
  /// attempts, creation, delivery and last error. The pending ones are due at `time`. Vigil is stopped
  /// during a migration, so the source's outbox is the whole truth, and a resumed migration repeats
  /// none.
  func importNotifications(_ entries: [OutboxEntry], pendingDueAt time: Timestamp) async throws(StoreError)
}
