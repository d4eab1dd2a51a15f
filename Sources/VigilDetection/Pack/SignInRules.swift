extension RulePack {
  /// Sign-in attempts: brute force, spraying, travel, risky places and clients.
  static let signIn = #"""
    id: signin.brute_force_user
    title: Repeated failed sign-ins for one user
    description: At least 5 failed sign-ins against one user within 10 minutes, from any address.
    severity: medium
    techniques: [T1110.001]
    streams: [signinattempts]
    where: outcome:failure -action:firewall_failed
    kind: threshold
    count: 5
    window: 10m
    group_by: [user.id]
    tuning: Google SecOps uses 5 in 10 minutes, Wazuh 3 in 10 minutes, Panther 20 in an hour.
    false_positives: [A user who forgot a changed password, A device retrying an old password]
    references: ["https://attack.mitre.org/techniques/T1110/001/"]
    tests:
      - name: five failures in eight minutes
        items:
          - item: {uuid: F, timestamp: "2026-11-02T10:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}, client: {ip_address: 192.0.2.10}}
            repeat: 5
            every: 2m
        expect: [{group: [U1], count: 5}]
      - name: five failures over an hour
        items:
          - item: {uuid: F, timestamp: "2026-11-02T10:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}}
            repeat: 5
            every: 15m
        expect: []
    ---
    id: signin.brute_force_user_slow
    title: Many failed sign-ins for one user in a day
    description: At least 10 failed sign-ins against one user within 24 hours (slow guessing under per-minute thresholds).
    severity: low
    techniques: [T1110.001]
    streams: [signinattempts]
    where: outcome:failure -action:firewall_failed
    kind: threshold
    count: 10
    window: 24h
    group_by: [user.id]
    tuning: Sumo Logic Cloud SIEM THRESHOLD-S00096 uses 10 in 24 hours.
    false_positives: [Automation with a stale password]
    tests:
      - name: ten failures over five hours
        items:
          - item: {uuid: F, timestamp: "2026-11-02T01:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}}
            repeat: 10
            every: 30m
        expect: [{group: [U1], count: 10}]
      - name: nine failures
        items:
          - item: {uuid: F, timestamp: "2026-11-02T01:00:00Z", category: mfa_failed, type: totp_bad, target_user: {uuid: U1}}
            repeat: 9
            every: 30m
        expect: []
    ---
    id: signin.brute_force_ip
    title: Many failed sign-ins from one address
    description: At least 20 failed sign-ins from one source address within an hour, against any users.
    severity: medium
    techniques: [T1110]
    streams: [signinattempts]
    where: outcome:failure source.ip:*
    kind: threshold
    count: 20
    window: 1h
    group_by: [source.ip]
    tuning: Panther's Standard.BruteForceByIP uses 20 in 60 minutes. Raise it for a shared office egress address, or list it in known_networks and add a condition.
    false_positives: [A NAT gateway shared by many users]
    tests:
      - name: twenty failures from one address
        items:
          - item: {uuid: F, timestamp: "2026-11-02T10:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}, client: {ip_address: 203.0.113.9}}
            repeat: 20
            every: 1m
        expect: [{group: [203.0.113.9], count: 20}]
      - name: twenty successes from one address
        items:
          - item: {uuid: F, timestamp: "2026-11-02T10:00:00Z", category: success, type: credentials_ok, target_user: {uuid: U1}, client: {ip_address: 203.0.113.9}}
            repeat: 20
            every: 1m
        expect: []
    ---
    id: signin.password_spray
    title: Password spray from one address
    description: Failed sign-ins for at least 5 different users from one address within an hour.
    severity: high
    techniques: [T1110.003]
    streams: [signinattempts]
    where: outcome:failure source.ip:*
    kind: distinct
    field: user.id
    count: 5
    window: 1h
    group_by: [source.ip]
    tuning: Sumo Logic uses 10 distinct users in 24 hours (see signin.password_spray_slow).
    false_positives: [A shared kiosk or training room]
    tests:
      - name: five users from one address
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}, client: {ip_address: 203.0.113.9}}}
          - {item: {uuid: B, timestamp: "2026-11-02T10:01:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U2}, client: {ip_address: 203.0.113.9}}}
          - {item: {uuid: C, timestamp: "2026-11-02T10:02:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U3}, client: {ip_address: 203.0.113.9}}}
          - {item: {uuid: D, timestamp: "2026-11-02T10:03:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U4}, client: {ip_address: 203.0.113.9}}}
          - {item: {uuid: E, timestamp: "2026-11-02T10:04:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U5}, client: {ip_address: 203.0.113.9}}}
        expect: [{group: [203.0.113.9], count: 5}]
      - name: one user many times
        items:
          - item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}, client: {ip_address: 203.0.113.9}}
            repeat: 8
        expect: []
    ---
    id: signin.password_spray_slow
    title: Slow password spray from one address
    description: Failed sign-ins for at least 10 different users from one address within 24 hours.
    severity: medium
    techniques: [T1110.003]
    streams: [signinattempts]
    where: outcome:failure source.ip:*
    kind: distinct
    field: user.id
    count: 10
    window: 24h
    group_by: [source.ip]
    tuning: Sumo Logic Cloud SIEM THRESHOLD-S00116 and S00095.
    false_positives: [An office egress address during a password rotation]
    tests:
      - name: ten users over a day
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T01:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}, client: {ip_address: 203.0.113.9}}}
          - {item: {uuid: B, timestamp: "2026-11-02T03:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U2}, client: {ip_address: 203.0.113.9}}}
          - {item: {uuid: C, timestamp: "2026-11-02T05:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U3}, client: {ip_address: 203.0.113.9}}}
          - {item: {uuid: D, timestamp: "2026-11-02T07:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U4}, client: {ip_address: 203.0.113.9}}}
          - {item: {uuid: E, timestamp: "2026-11-02T09:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U5}, client: {ip_address: 203.0.113.9}}}
          - {item: {uuid: F, timestamp: "2026-11-02T11:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U6}, client: {ip_address: 203.0.113.9}}}
          - {item: {uuid: G, timestamp: "2026-11-02T13:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U7}, client: {ip_address: 203.0.113.9}}}
          - {item: {uuid: H, timestamp: "2026-11-02T15:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U8}, client: {ip_address: 203.0.113.9}}}
          - {item: {uuid: I, timestamp: "2026-11-02T17:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U9}, client: {ip_address: 203.0.113.9}}}
          - {item: {uuid: J, timestamp: "2026-11-02T19:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U10}, client: {ip_address: 203.0.113.9}}}
        expect: [{group: [203.0.113.9], count: 10}]
      - name: nine users
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T01:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}, client: {ip_address: 203.0.113.9}}}
          - {item: {uuid: B, timestamp: "2026-11-02T03:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U2}, client: {ip_address: 203.0.113.9}}}
        expect: []
    ---
    id: signin.credential_stuffing
    title: Burst of failed sign-ins across the account
    description: At least 25 failed sign-ins in the account within 10 minutes, whatever the users or addresses.
    severity: medium
    techniques: [T1110.004]
    streams: [signinattempts]
    where: outcome:failure -action:firewall_failed
    kind: threshold
    count: 25
    window: 10m
    tuning: Wazuh rule 100751 uses 10 in 10 minutes; 25 suits organisations of a few hundred users. Scale with the organisation.
    false_positives: [An identity-provider outage that fails every SSO sign-in]
    tests:
      - name: twenty-five failures from everywhere
        items:
          - item: {uuid: F, timestamp: "2026-11-02T10:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}}
            repeat: 25
            every: 20s
        expect: [{group: [], count: 25}]
      - name: a quiet morning
        items:
          - item: {uuid: F, timestamp: "2026-11-02T10:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}}
            repeat: 10
            every: 1m
        expect: []
    ---
    id: signin.failures_then_success
    title: Successful sign-in after repeated failures
    description: A user signs in successfully after at least 5 failed attempts within 30 minutes (a guess that worked).
    severity: high
    techniques: [T1110.001, T1078]
    streams: [signinattempts]
    kind: sequence
    window: 30m
    group_by: [user.id]
    steps:
      - name: failures
        where: outcome:failure -action:firewall_failed
        count: 5
      - name: success
        where: outcome:success
    tuning: Sumo Logic CHAIN-S00008 and S00023. Lower the count to catch slower guessing.
    false_positives: [A user who finally remembered a changed password]
    tests:
      - name: eight failures then a success
        items:
          - item: {uuid: F, timestamp: "2026-11-02T10:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}}
            repeat: 8
            every: 40s
          - item: {uuid: S, timestamp: "2026-11-02T10:07:00Z", category: success, type: credentials_ok, target_user: {uuid: U1}}
        expect: [{group: [U1], count: 9}]
      - name: a success before the failures
        items:
          - item: {uuid: S, timestamp: "2026-11-02T09:59:00Z", category: success, type: credentials_ok, target_user: {uuid: U1}}
          - item: {uuid: F, timestamp: "2026-11-02T10:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}}
            repeat: 8
            every: 40s
        expect: []
    ---
    id: signin.firewall_blocked
    title: Sign-in blocked by the account's firewall
    description: A sign-in attempt the account's firewall rules refused (country, continent, address or anonymiser).
    severity: low
    techniques: [T1078]
    streams: [signinattempts]
    where: action:firewall_failed
    kind: match
    group_by: [user.id]
    suppress: 1h
    tuning: Wazuh rule 100733 alerts on each one; this alerts once per user per hour.
    false_positives: [Travelling users]
    tests:
      - name: a blocked sign-in
        items:
          - item: {uuid: F, timestamp: "2026-11-02T10:00:00Z", category: firewall_failed, type: country_blocked, target_user: {uuid: U1}}
        expect: [{group: [U1], count: 1}]
      - name: an allowed one
        items:
          - item: {uuid: F, timestamp: "2026-11-02T10:00:00Z", category: firewall_reported_success, type: credentials_ok, target_user: {uuid: U1}}
        expect: []
    ---
    id: signin.firewall_blocked_burst
    title: Repeated sign-ins blocked by the firewall
    description: At least 5 sign-ins of one user refused by the firewall within 10 minutes.
    severity: medium
    techniques: [T1078, T1110]
    streams: [signinattempts]
    where: action:firewall_failed
    kind: threshold
    count: 5
    window: 10m
    group_by: [user.id]
    tuning: Wazuh rule 100736 (5 in 10 minutes).
    false_positives: [A travelling user's devices retrying]
    tests:
      - name: six blocks
        items:
          - item: {uuid: F, timestamp: "2026-11-02T10:00:00Z", category: firewall_failed, type: country_blocked, target_user: {uuid: U1}}
            repeat: 6
            every: 90s
        expect: [{group: [U1], count: 6}]
      - name: four blocks
        items:
          - item: {uuid: F, timestamp: "2026-11-02T10:00:00Z", category: firewall_failed, type: country_blocked, target_user: {uuid: U1}}
            repeat: 4
            every: 90s
        expect: []
    ---
    id: signin.impossible_travel
    title: Impossible travel between sign-ins
    description: Two successful sign-ins of one user whose locations are more than 500 km apart and imply a speed above 900 km/h.
    severity: high
    techniques: [T1078]
    streams: [signinattempts]
    where: outcome:success
    kind: geo_velocity
    max_speed_kmh: 900
    min_distance_km: 500
    window: 24h
    exempt_same_asn: true
    known_networks: known_networks
    group_by: [user.id]
    tuning: Addresses of one autonomous system and known networks (VPN exits) are exempt. Lower the speed to catch fast flights.
    false_positives: [A VPN or proxy not listed in known_networks, Mobile carriers that route through distant cities]
    tests:
      - name: Stockholm then Sydney twenty-five minutes later
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, client: {ip_address: 89.160.20.1}, location: {country: SE, latitude: 59.33, longitude: 18.07}}}
          - {item: {uuid: B, timestamp: "2026-11-02T10:25:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, client: {ip_address: 1.128.0.1}, location: {country: AU, latitude: -33.87, longitude: 151.21}}}
        expect: [{group: [U1], count: 2}]
      - name: Stockholm then Sydney a day and a half later
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, location: {country: SE, latitude: 59.33, longitude: 18.07}}}
          - {item: {uuid: B, timestamp: "2026-11-03T22:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, location: {country: AU, latitude: -33.87, longitude: 151.21}}}
        expect: []
    ---
    id: signin.countries_within_hour
    title: Successful sign-ins from two countries within an hour
    description: One user signs in successfully from at least 2 countries within 60 minutes.
    severity: medium
    techniques: [T1078]
    streams: [signinattempts]
    where: outcome:success geo.country_code:*
    kind: distinct
    field: geo.country_code
    count: 2
    window: 1h
    group_by: [user.id]
    tuning: Sumo Logic THRESHOLD-S00097. Border regions and VPNs cause most false positives.
    false_positives: [VPN use, Users near a border]
    tests:
      - name: Sweden then Germany
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, location: {country: SE}}}
          - {item: {uuid: B, timestamp: "2026-11-02T10:30:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, location: {country: DE}}}
        expect: [{group: [U1], count: 2}]
      - name: Sweden twice
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, location: {country: SE}}}
          - {item: {uuid: B, timestamp: "2026-11-02T10:30:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, location: {country: SE}}}
        expect: []
    ---
    id: signin.failed_countries_within_hour
    title: Failed sign-ins from two countries within an hour
    description: Failed sign-ins against one user from at least 2 countries within 60 minutes.
    severity: low
    techniques: [T1110]
    streams: [signinattempts]
    where: outcome:failure geo.country_code:*
    kind: distinct
    field: geo.country_code
    count: 2
    window: 1h
    group_by: [user.id]
    tuning: Sumo Logic THRESHOLD-S00098.
    false_positives: [VPN use]
    tests:
      - name: failures from Sweden and Brazil
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}, location: {country: SE}}}
          - {item: {uuid: B, timestamp: "2026-11-02T10:10:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}, location: {country: BR}}}
        expect: [{group: [U1], count: 2}]
      - name: a success and a failure
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: success, type: credentials_ok, target_user: {uuid: U1}, location: {country: SE}}}
          - {item: {uuid: B, timestamp: "2026-11-02T10:10:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}, location: {country: BR}}}
        expect: []
    ---
    id: signin.new_address
    title: Sign-in from a new address for the user
    description: A successful sign-in from an address the user has not signed in from in 14 days, once the user has been known for 7 days.
    severity: info
    techniques: [T1078]
    streams: [signinattempts]
    where: outcome:success source.ip:*
    kind: new_value
    fields: [source.ip]
    lookback: 14d
    learning: 7d
    group_by: [user.id]
    tuning: Sentinel's "successful anomalous sign-in" (14 days). Judged once no earlier event can still arrive (the allowed lateness).
    false_positives: [Home addresses that change, Mobile networks]
    tests:
      - name: a new address after a week
        items:
          - {item: {uuid: A, timestamp: "2026-11-01T10:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, client: {ip_address: 192.0.2.1}}}
          - {item: {uuid: B, timestamp: "2026-11-09T10:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, client: {ip_address: 198.51.100.7}}}
        expect: [{group: [U1], count: 1}]
      - name: the same address
        items:
          - {item: {uuid: A, timestamp: "2026-11-01T10:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, client: {ip_address: 192.0.2.1}}}
          - {item: {uuid: B, timestamp: "2026-11-09T10:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, client: {ip_address: 192.0.2.1}}}
        expect: []
    ---
    id: signin.new_country
    title: Sign-in from a new country for the user
    description: A successful sign-in from a country the user has not signed in from in 30 days, once the user has been known for 7 days.
    severity: medium
    techniques: [T1078]
    streams: [signinattempts]
    where: outcome:success geo.country_code:*
    kind: new_value
    fields: [geo.country_code]
    lookback: 30d
    learning: 7d
    group_by: [user.id]
    tuning: Raise the severity for organisations that never travel.
    false_positives: [Business travel, Holidays]
    tests:
      - name: Sweden for a week, then Brazil
        items:
          - {item: {uuid: A, timestamp: "2026-11-01T10:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, location: {country: SE}}}
          - {item: {uuid: B, timestamp: "2026-11-05T10:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, location: {country: SE}}}
          - {item: {uuid: C, timestamp: "2026-11-09T10:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, location: {country: BR}}}
        expect: [{group: [U1], count: 1}]
      - name: a new user's first countries
        items:
          - {item: {uuid: A, timestamp: "2026-11-01T10:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, location: {country: SE}}}
          - {item: {uuid: C, timestamp: "2026-11-02T10:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, location: {country: BR}}}
        expect: []
    ---
    id: signin.new_client_app
    title: Sign-in with an app new for the user
    description: A successful sign-in from a client app (and operating system) the user has not used in 30 days, once known for 7 days.
    severity: low
    techniques: [T1078]
    streams: [signinattempts]
    where: outcome:success client.app:*
    kind: new_value
    fields: [client.app, client.os]
    lookback: 30d
    learning: 7d
    group_by: [user.id]
    tuning: Datadog's new-value rule on devices. New laptops and phones trigger it by design.
    false_positives: [A new or reinstalled device]
    tests:
      - name: a Mac user signs in from the CLI on Linux
        items:
          - {item: {uuid: A, timestamp: "2026-11-01T10:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, client: {app_name: 1Password for Mac, os_name: MacOSX}}}
          - {item: {uuid: B, timestamp: "2026-11-10T10:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, client: {app_name: 1Password CLI, os_name: Linux}}}
        expect: [{group: [U1], count: 1}]
      - name: the same app
        items:
          - {item: {uuid: A, timestamp: "2026-11-01T10:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, client: {app_name: 1Password for Mac, os_name: MacOSX}}}
          - {item: {uuid: B, timestamp: "2026-11-10T10:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, client: {app_name: 1Password for Mac, os_name: MacOSX}}}
        expect: []
    ---
    id: signin.risky_country
    title: Sign-in attempt from a risky country
    description: A sign-in attempt from a country on the risky_countries watchlist (embargoed and high-risk jurisdictions by default).
    severity: high
    techniques: [T1078]
    streams: [signinattempts]
    where: geo.country_code:*
    conditions:
      - {field: geo.country_code, in: risky_countries}
    kind: match
    group_by: [user.id]
    suppress: 1h
    tuning: Panther uses CN, IR and RU; Sumo Logic ten countries. Edit the watchlist to match your policy.
    false_positives: [Staff legitimately working from a listed country]
    tests:
      - name: a sign-in from Russia
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}, location: {country: RU}}}
        expect: [{group: [U1], count: 1}]
      - name: a sign-in from Sweden
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}, location: {country: SE}}}
        expect: []
    ---
    id: signin.unapproved_app
    title: Successful sign-in from an unapproved app
    description: A successful sign-in whose client app is not on the allowed_apps watchlist.
    severity: medium
    techniques: [T1078, T1550]
    streams: [signinattempts]
    where: outcome:success client.app:*
    conditions:
      - {field: client.app, not_in: allowed_apps}
    kind: match
    group_by: [user.id, client.app]
    suppress: 2h
    tuning: Panther's Unusual.Client with a 10-app allowlist and 120-minute deduplication.
    false_positives: [A new official app not yet on the list]
    tests:
      - name: an unknown app
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: success, type: credentials_ok, target_user: {uuid: U1}, client: {app_name: Totally Legit Vault Sync}}}
        expect: [{group: [U1, Totally Legit Vault Sync], count: 1}]
      - name: the Mac app
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: success, type: credentials_ok, target_user: {uuid: U1}, client: {app_name: 1Password for Mac}}}
        expect: []
    ---
    id: signin.threat_intel_success
    title: Successful sign-in from a threat-intel address
    description: A successful sign-in from an address listed by a configured threat feed.
    severity: high
    techniques: [T1078]
    streams: [signinattempts]
    where: outcome:success threat.feed:*
    kind: match
    group_by: [user.id]
    suppress: 1h
    tuning: Sumo Logic MATCH-S01018 and S00815; Panther's GreyNoise and OTX rules.
    false_positives: [Feeds that list shared VPN or cloud addresses]
    tests:
      - name: a listed address
        items:
          - item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: success, type: credentials_ok, target_user: {uuid: U1}, client: {ip_address: 203.0.113.9}}
            enrichment: {threat_feed: hostile-networks, threat_category: attacker-infrastructure}
        expect: [{group: [U1], count: 1}]
      - name: a listed address that failed
        items:
          - item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}, client: {ip_address: 203.0.113.9}}
            enrichment: {threat_feed: hostile-networks}
        expect: []
    ---
    id: signin.threat_intel_attempt
    title: Sign-in attempts from a threat-intel address
    description: Failed sign-in attempts from an address listed by a configured threat feed (not Tor).
    severity: medium
    techniques: [T1110]
    streams: [signinattempts]
    where: outcome:failure threat.feed:* -threat.category:tor
    kind: match
    group_by: [source.ip]
    suppress: 1h
    tuning: Sumo Logic S01023 and S00555 (inbound from a threat address).
    false_positives: [Feeds with stale entries]
    tests:
      - name: a listed address failing
        items:
          - item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}, client: {ip_address: 203.0.113.9}}
            enrichment: {threat_feed: hostile-networks, threat_category: attacker-infrastructure}
        expect: [{group: [203.0.113.9], count: 1}]
      - name: an unlisted address failing
        items:
          - item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}, client: {ip_address: 203.0.113.9}}
        expect: []
    ---
    id: signin.tor
    title: Sign-in attempt through Tor
    description: A sign-in attempt from a Tor exit node (a threat feed with category tor).
    severity: high
    techniques: [T1090.003]
    streams: [signinattempts]
    where: threat.category:tor
    kind: match
    group_by: [user.id]
    suppress: 1h
    tuning: Datadog def-000-syp rates it critical. Needs a Tor exit list in enrichment.feeds (format tor).
    false_positives: [Privacy-minded staff using Tor Browser]
    tests:
      - name: a Tor exit
        items:
          - item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: success, type: credentials_ok, target_user: {uuid: U1}, client: {ip_address: 185.220.101.4}}
            enrichment: {threat_feed: tor-exits, threat_category: tor}
        expect: [{group: [U1], count: 1}]
      - name: another feed
        items:
          - item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: success, type: credentials_ok, target_user: {uuid: U1}, client: {ip_address: 185.220.101.4}}
            enrichment: {threat_feed: hostile-networks, threat_category: scanner}
        expect: []
    ---
    id: signin.mfa_failure_burst
    title: Repeated second-factor failures
    description: At least 3 failed second-factor checks for one user within 10 minutes (a stolen password meeting MFA).
    severity: medium
    techniques: [T1621, T1110]
    streams: [signinattempts]
    where: action:mfa_failed
    kind: threshold
    count: 3
    window: 10m
    group_by: [user.id]
    tuning: Wazuh rule 100735 counts credential and MFA failures together (3 in 10 minutes).
    false_positives: [A phone with a wrong clock]
    tests:
      - name: three TOTP failures
        items:
          - item: {uuid: M, timestamp: "2026-11-02T10:00:00Z", category: mfa_failed, type: totp_bad, target_user: {uuid: U1}}
            repeat: 3
            every: 1m
        expect: [{group: [U1], count: 3}]
      - name: password failures only
        items:
          - item: {uuid: M, timestamp: "2026-11-02T10:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}}
            repeat: 3
            every: 1m
        expect: []
    ---
    id: signin.sso_failure_burst
    title: Repeated SSO sign-in failures
    description: At least 5 failed SSO sign-ins for one user within 10 minutes.
    severity: low
    techniques: [T1110]
    streams: [signinattempts]
    where: action:sso_failed
    kind: threshold
    count: 5
    window: 10m
    group_by: [user.id]
    tuning: Raise the count where SSO sessions expire often.
    false_positives: [An identity-provider outage]
    tests:
      - name: five SSO failures
        items:
          - item: {uuid: S, timestamp: "2026-11-02T10:00:00Z", category: sso_failed, type: sso_user_mismatch, target_user: {uuid: U1}}
            repeat: 5
            every: 1m
        expect: [{group: [U1], count: 5}]
      - name: two SSO failures
        items:
          - item: {uuid: S, timestamp: "2026-11-02T10:00:00Z", category: sso_failed, type: sso_user_mismatch, target_user: {uuid: U1}}
            repeat: 2
        expect: []
    ---
    id: signin.scim_bridge_failure
    title: SCIM bridge sign-in failure
    description: A failed sign-in by the SCIM bridge, which stops provisioning from the identity provider.
    severity: medium
    techniques: [T1098]
    streams: [signinattempts]
    where: outcome:failure client.app:"1Password SCIM Bridge"
    kind: match
    suppress: 1h
    tuning: Google SecOps community rule.
    false_positives: [A bridge restarted with an old token]
    tests:
      - name: the bridge fails
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}, client: {app_name: 1Password SCIM Bridge}}}
        expect: [{group: [], count: 1}]
      - name: a person fails
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: credentials_failed, type: password_secret_bad, target_user: {uuid: U1}, client: {app_name: 1Password for Mac}}}
        expect: []
    ---
    id: signin.without_mfa
    title: Successful sign-in without a second factor
    description: A successful sign-in that checked only the password (type credentials_ok). Off by default; turn it on where every account must use MFA.
    severity: info
    techniques: [T1078]
    streams: [signinattempts]
    where: outcome:success type:credentials_ok
    kind: match
    group_by: [user.id]
    suppress: 24h
    enabled: false
    tuning: Sumo Logic MATCH-S00685 is also off by default.
    false_positives: [Accounts that do not require MFA]
    tests:
      - name: password only
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: success, type: credentials_ok, target_user: {uuid: U1}}}
        expect: [{group: [U1], count: 1}]
      - name: with MFA
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: success, type: mfa_ok, target_user: {uuid: U1}}}
        expect: []
    ---
    id: signin.service_account_sso_denied
    title: Service account refused by SSO
    description: A service account tried to sign in through SSO, which service accounts cannot use.
    severity: low
    techniques: [T1078.004]
    streams: [signinattempts]
    where: type:service_account_sso_denied
    kind: match
    group_by: [user.id]
    suppress: 1h
    tuning: Each one is worth a look; suppression keeps it to one per account per hour.
    false_positives: [A misconfigured integration]
    tests:
      - name: denied
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: sso_failed, type: service_account_sso_denied, target_user: {uuid: SA1}}}
        expect: [{group: [SA1], count: 1}]
      - name: another SSO failure
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", category: sso_failed, type: sso_user_mismatch, target_user: {uuid: SA1}}}
        expect: []
    """#
}
