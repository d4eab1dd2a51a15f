extension RulePack {
  /// Item usages: exports, bulk access, shares, sensitive items.
  static let itemUsage = #"""
    id: item.export
    title: Item exported
    description: A user exported an item (one event per exported item).
    severity: medium
    techniques: [T1555, T1567]
    streams: [itemusages]
    where: action:export
    kind: match
    group_by: [user.id]
    suppress: 1h
    tuning: Datadog's "attempt to exfiltrate a 1Password item" and Wazuh rule 100742. One alert per user per hour.
    false_positives: [Migrations to another password manager]
    tests:
      - name: an export
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: export, user: {uuid: U1}}}
        expect: [{group: [U1], count: 1}]
      - name: a fill
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: fill, user: {uuid: U1}}}
        expect: []
    ---
    id: item.mass_export
    title: Many items exported
    description: At least 3 items exported by one user within 10 minutes.
    severity: high
    techniques: [T1555, T1567]
    streams: [itemusages]
    where: action:export
    kind: threshold
    count: 3
    window: 10m
    group_by: [user.id]
    tuning: Wazuh rule 100747 (3 in 10 minutes).
    false_positives: [An approved migration]
    tests:
      - name: twelve exports
        items:
          - item: {uuid: E, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: export, user: {uuid: U1}}
            repeat: 12
            every: 20s
        expect: [{group: [U1], count: 12}]
      - name: two exports
        items:
          - item: {uuid: E, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: export, user: {uuid: U1}}
            repeat: 2
        expect: []
    ---
    id: item.mass_reveal
    title: Many passwords revealed or copied
    description: At least 15 reveals or secure copies by one user within 5 minutes.
    severity: high
    techniques: [T1555]
    streams: [itemusages]
    where: action:(reveal OR secure-copy)
    kind: threshold
    count: 15
    window: 5m
    group_by: [user.id]
    tuning: Wazuh rule 100746 counts any 10 usages in 5 minutes (see item.bulk_access).
    false_positives: [An administrator auditing a vault]
    tests:
      - name: forty reveals in four minutes
        items:
          - item: {uuid: R, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: reveal, user: {uuid: U1}}
            repeat: 40
            every: 6s
        expect: [{group: [U1], count: 40}]
      - name: ten reveals in an hour
        items:
          - item: {uuid: R, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: reveal, user: {uuid: U1}}
            repeat: 10
            every: 6m
        expect: []
    ---
    id: item.bulk_access
    title: Bulk item access
    description: At least 30 item usages of any kind by one user within 5 minutes.
    severity: medium
    techniques: [T1555, T1119]
    streams: [itemusages]
    kind: threshold
    count: 30
    window: 5m
    group_by: [user.id]
    tuning: Wazuh rule 100746 uses 10 in 5 minutes, which autofill alone reaches; 30 keeps it for scripted access.
    false_positives: [Server-side integrations fetching many items]
    tests:
      - name: thirty fills in three minutes
        items:
          - item: {uuid: F, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: fill, user: {uuid: U1}}
            repeat: 30
            every: 6s
        expect: [{group: [U1], count: 30}]
      - name: twenty-nine fills
        items:
          - item: {uuid: F, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: fill, user: {uuid: U1}}
            repeat: 29
            every: 6s
        expect: []
    ---
    id: item.reveal
    title: Password revealed or copied
    description: A user revealed or securely copied a field. Off by default (informational, very common).
    severity: info
    techniques: [T1555]
    streams: [itemusages]
    where: action:(reveal OR secure-copy)
    kind: match
    group_by: [user.id]
    suppress: 24h
    enabled: false
    tuning: Wazuh rule 100741 (level 5). Combine with the sensitive_items watchlist (item.sensitive_item) instead.
    false_positives: [Everyday use]
    tests:
      - name: a reveal
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: reveal, user: {uuid: U1}}}
        expect: [{group: [U1], count: 1}]
      - name: a fill
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: fill, user: {uuid: U1}}}
        expect: []
    ---
    id: item.share
    title: Item shared
    description: A user shared an item (a link that may reach people outside the organisation).
    severity: low
    techniques: [T1567]
    streams: [itemusages]
    where: action:share
    kind: match
    group_by: [user.id]
    suppress: 1h
    tuning: Wazuh rule 100743 (level 8).
    false_positives: [Sharing with contractors by policy]
    tests:
      - name: a share
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: share, user: {uuid: U1}}}
        expect: [{group: [U1], count: 1}]
      - name: a reveal
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: reveal, user: {uuid: U1}}}
        expect: []
    ---
    id: item.server_operations
    title: Server-side item operations
    description: Items created, updated or fetched by a server-side client (Connect, service accounts, the CLI).
    severity: info
    techniques: [T1555]
    streams: [itemusages]
    where: action:(server-create OR server-update OR server-fetch)
    kind: match
    group_by: [user.id]
    suppress: 24h
    enabled: false
    tuning: Wazuh rule 100744 (level 5). Off by default (integrations do this all day); on, one alert per identity per day.
    false_positives: [Integrations doing their job]
    tests:
      - name: a fetch
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: server-fetch, user: {uuid: SA1}}}
        expect: [{group: [SA1], count: 1}]
      - name: a fill
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: fill, user: {uuid: U1}}}
        expect: []
    ---
    id: item.new_action
    title: Item action new for the user
    description: An item action the user has not performed in 30 days, once the user has been known for 7 days.
    severity: low
    techniques: [T1555]
    streams: [itemusages]
    where: action:*
    kind: new_value
    fields: [event.action]
    lookback: 30d
    learning: 7d
    group_by: [user.id]
    tuning: Datadog def-000-80w (new value).
    false_positives: [A user trying a feature for the first time]
    tests:
      - name: a user who only fills exports
        items:
          - {item: {uuid: A, timestamp: "2026-11-01T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: fill, user: {uuid: U1}}}
          - {item: {uuid: B, timestamp: "2026-11-09T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: export, user: {uuid: U1}}}
        expect: [{group: [U1], count: 1}]
      - name: the same action again
        items:
          - {item: {uuid: A, timestamp: "2026-11-01T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: fill, user: {uuid: U1}}}
          - {item: {uuid: B, timestamp: "2026-11-09T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: fill, user: {uuid: U1}}}
        expect: []
    ---
    id: item.sensitive_item
    title: Sensitive item used
    description: An item on the sensitive_items watchlist (by item uuid) was used.
    severity: low
    techniques: [T1555]
    streams: [itemusages]
    conditions:
      - {field: item.id, in: sensitive_items}
    kind: match
    group_by: [user.id, item.id]
    suppress: 30m
    tuning: Panther's Sensitive.Item (30-minute deduplication). List the uuids of break-glass and root credentials.
    false_positives: [The credential's owners]
    tests:
      - name: a listed item
        watchlists: {sensitive_items: [i1]}
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: reveal, user: {uuid: U1}}}
        expect: [{group: [U1, i1], count: 1}]
      - name: another item
        watchlists: {sensitive_items: [i1]}
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i2, action: reveal, user: {uuid: U1}}}
        expect: []
    ---
    id: item.privileged_vault_use
    title: Item used in a privileged vault
    description: A reveal, copy, export or share in a vault on the privileged_vaults watchlist.
    severity: low
    techniques: [T1555]
    streams: [itemusages]
    where: action:(reveal OR secure-copy OR export OR share)
    conditions:
      - {field: vault.id, in: privileged_vaults}
    kind: match
    group_by: [user.id, vault.id]
    suppress: 1h
    tuning: Fill the privileged_vaults watchlist with the vault uuids that hold administrator credentials.
    false_positives: [The vault's administrators]
    tests:
      - name: a reveal in a listed vault
        watchlists: {privileged_vaults: [v1]}
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: reveal, user: {uuid: U1}}}
        expect: [{group: [U1, v1], count: 1}]
      - name: a fill in a listed vault
        watchlists: {privileged_vaults: [v1]}
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: fill, user: {uuid: U1}}}
        expect: []
    ---
    id: item.threat_intel
    title: Item used from a threat-intel address
    description: An item usage from an address listed by a configured threat feed.
    severity: high
    techniques: [T1555, T1078]
    streams: [itemusages]
    where: threat.feed:*
    kind: match
    group_by: [user.id]
    suppress: 1h
    tuning: Sumo Logic's item-usage threat-intel panel.
    false_positives: [Feeds listing shared VPN exits]
    tests:
      - name: a listed address
        items:
          - item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: fill, user: {uuid: U1}, client: {ip_address: 203.0.113.9}}
            enrichment: {threat_feed: hostile-networks}
        expect: [{group: [U1], count: 1}]
      - name: an unlisted address
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: fill, user: {uuid: U1}, client: {ip_address: 203.0.113.9}}}
        expect: []
    ---
    id: item.risky_country
    title: Item used from a risky country
    description: An item usage from a country on the risky_countries watchlist.
    severity: high
    techniques: [T1555, T1078]
    streams: [itemusages]
    where: geo.country_code:*
    conditions:
      - {field: geo.country_code, in: risky_countries}
    kind: match
    group_by: [user.id]
    suppress: 1h
    tuning: Edit the risky_countries watchlist to match your policy.
    false_positives: [Staff legitimately working from a listed country]
    tests:
      - name: from Iran
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: reveal, user: {uuid: U1}, location: {country: IR}}}
        expect: [{group: [U1], count: 1}]
      - name: from Canada
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", vault_uuid: v1, item_uuid: i1, action: reveal, user: {uuid: U1}, location: {country: CA}}}
        expect: []
    """#
}
