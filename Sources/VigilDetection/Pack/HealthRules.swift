extension RulePack {
  /// Pipeline health: streams that went quiet.
  static let health = #"""
    id: health.no_signins
    title: No sign-in attempts collected for a day
    description: No sign-in attempt of an account has been collected for 24 hours (collection or token broken, or the account idle).
    severity: medium
    techniques: [T1562.008]
    streams: [signinattempts]
    kind: absence
    window: 24h
    tuning: Panther alerts after 24 hours without events. Judged on ingest time.
    false_positives: [Weekends in very small accounts]
    tests:
      - name: silent for two days
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}}, ingested: "2026-11-02T10:00:05Z"}
        now: "2026-11-04T10:00:00Z"
        expect: [{group: [signinattempts], count: 0}]
      - name: collected an hour ago
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}}, ingested: "2026-11-04T09:00:00Z"}
        now: "2026-11-04T10:00:00Z"
        expect: []
    ---
    id: health.no_item_usages
    title: No item usages collected for a day
    description: No item usage of an account has been collected for 24 hours.
    severity: medium
    techniques: [T1562.008]
    streams: [itemusages]
    kind: absence
    window: 24h
    tuning: Item usages arrive up to a day late; raise the window if this fires on quiet days.
    false_positives: [Very small accounts]
    tests:
      - name: silent for two days
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: fill, user: {uuid: U1}}, ingested: "2026-11-02T10:00:05Z"}
        now: "2026-11-04T10:00:00Z"
        expect: [{group: [itemusages], count: 0}]
      - name: collected recently
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: fill, user: {uuid: U1}}, ingested: "2026-11-04T08:00:00Z"}
        now: "2026-11-04T10:00:00Z"
        expect: []
    ---
    id: health.no_audit_events
    title: No audit events collected for a week
    description: No audit event of an account has been collected for 7 days.
    severity: low
    techniques: [T1562.008]
    streams: [auditevents]
    kind: absence
    window: 7d
    tuning: Audit events are rare in small accounts, hence the week.
    false_positives: [Quiet accounts]
    tests:
      - name: silent for eight days
        items:
          - {item: {uuid: A, timestamp: "2026-11-01T10:00:00Z", actor_uuid: U1, action: update, object_type: vault, object_uuid: v1}, ingested: "2026-11-01T10:00:05Z"}
        now: "2026-11-09T11:00:00Z"
        expect: [{group: [auditevents], count: 0}]
      - name: collected yesterday
        items:
          - {item: {uuid: A, timestamp: "2026-11-01T10:00:00Z", actor_uuid: U1, action: update, object_type: vault, object_uuid: v1}, ingested: "2026-11-08T10:00:00Z"}
        now: "2026-11-09T11:00:00Z"
        expect: []
    """#
}
