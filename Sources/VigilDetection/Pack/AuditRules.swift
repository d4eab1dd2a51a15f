extension RulePack {
  /// Audit events: account security settings, access changes, service accounts, user lifecycle.
  static let audit = #"""
    id: audit.firewall_change
    title: Sign-in firewall rules changed
    description: The account's firewall rules (allowed and blocked countries, addresses, anonymisers) were changed.
    severity: medium
    techniques: [T1562.004]
    streams: [auditevents]
    where: action:updatfw target.type:account
    kind: match
    group_by: [user.id]
    suppress: 5m
    tuning: Sentinel (updatfw on account). Wazuh's object code fw does not exist in the API.
    false_positives: [Planned firewall changes]
    tests:
      - name: firewall updated
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: updatfw, object_type: account, object_uuid: ACC}}
        expect: [{group: [U1], count: 1}]
      - name: account updated otherwise
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: update, object_type: account, object_uuid: ACC}}
        expect: []
    ---
    id: audit.sso_change
    title: SSO configuration changed
    description: Single sign-on was enabled, disabled or reconfigured, or an SSO group was added or removed.
    severity: high
    techniques: [T1556.007, T1484.002]
    streams: [auditevents]
    where: action:(enblsso OR disblsso OR chngpsso OR chngasso OR chngdsso OR addgsso OR delgsso) target.type:sso
    kind: match
    group_by: [user.id]
    suppress: 1h
    tuning: Sentinel's SSO rule with every SSO action code of the API.
    false_positives: [Planned identity-provider migrations]
    tests:
      - name: SSO disabled
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: disblsso, object_type: sso, object_uuid: s1}}
        expect: [{group: [U1], count: 1}]
      - name: an SSO token verified
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: ssotknv, object_type: ssotkn, object_uuid: s1}}
        expect: []
    ---
    id: audit.sso_unlock_change
    title: SSO device trust or token change
    description: A device was trusted for SSO unlock, or an SSO token was verified or changed.
    severity: low
    techniques: [T1556.007]
    streams: [auditevents]
    where: action:(sdvcsso OR tdvcsso OR ssotknv)
    kind: match
    group_by: [user.id]
    suppress: 1h
    tuning: Wazuh rule 100720.
    false_positives: [New devices set up for SSO unlock]
    tests:
      - name: a device trusted
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: sdvcsso, object_type: device, object_uuid: d1}}
        expect: [{group: [U1], count: 1}]
      - name: a device deauthorised
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: deolddev, object_type: device, object_uuid: d1}}
        expect: []
    ---
    id: audit.mfa_disabled_account
    title: A second-factor type disabled for the whole account
    description: An administrator disabled an MFA type (or Duo) for everyone in the account.
    severity: high
    techniques: [T1556.006]
    streams: [auditevents]
    where: action:(disblmfa OR disblduo) target.type:account
    kind: match
    group_by: [user.id]
    suppress: 1h
    tuning: Sentinel (disblmfa on account, High). Wazuh's dsblmfa does not exist.
    false_positives: [Retiring one MFA type for another]
    tests:
      - name: TOTP disabled for the account
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: disblmfa, object_type: account, object_uuid: ACC, aux_info: totp}}
        expect: [{group: [U1], count: 1}]
      - name: a user's own MFA disabled
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: disblmfa, object_type: user, object_uuid: U1}}
        expect: []
    ---
    id: audit.user_mfa_change
    title: A user's second factor changed
    description: MFA was enabled, updated or disabled for a user.
    severity: medium
    techniques: [T1556.006, T1098.005]
    streams: [auditevents]
    where: action:(enblmfa OR updatmfa OR disblmfa) target.type:user
    kind: match
    group_by: [target.id]
    suppress: 30m
    tuning: Sentinel (Medium, 30 minutes); Wazuh rule 100721.
    false_positives: [A user replacing a phone]
    tests:
      - name: MFA disabled for a user
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: disblmfa, object_type: user, object_uuid: U1}}
        expect: [{group: [U1], count: 1}]
      - name: account-wide change
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: disblmfa, object_type: account, object_uuid: ACC}}
        expect: []
    ---
    id: audit.user_mfa_change_burst
    title: Many users' second factors changed
    description: More than 5 MFA changes for users in the account within an hour.
    severity: high
    techniques: [T1556.006]
    streams: [auditevents]
    where: action:(enblmfa OR updatmfa OR disblmfa) target.type:user
    kind: threshold
    count: 6
    window: 1h
    tuning: Sumo Logic's monitor alerts (critical) on more than 5.
    false_positives: [An MFA roll-out]
    tests:
      - name: six changes
        items:
          - item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: updatmfa, object_type: user, object_uuid: U2}
            repeat: 6
            every: 5m
        expect: [{group: [], count: 6}]
      - name: five changes
        items:
          - item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: updatmfa, object_type: user, object_uuid: U2}
            repeat: 5
            every: 5m
        expect: []
    ---
    id: audit.manual_invite
    title: User invited by hand
    description: A person (not a service account) invited a user, bypassing provisioning from the identity provider.
    severity: low
    techniques: [T1136]
    streams: [auditevents]
    where: action:create target.type:invite -user.email:*@1passwordserviceaccounts.com
    kind: match
    group_by: [user.id]
    suppress: 1h
    tuning: Sentinel's manual-invite rule, for accounts provisioned through SCIM. Disable it where invites are normal.
    false_positives: [Accounts without SCIM]
    tests:
      - name: a person invites
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, actor_details: {uuid: U1, email: admin@example.com}, action: create, object_type: invite, object_uuid: I1}}
        expect: [{group: [U1], count: 1}]
      - name: the SCIM bridge invites
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: SA1, actor_details: {uuid: SA1, email: scim@1passwordserviceaccounts.com}, action: create, object_type: invite, object_uuid: I1}}
        expect: []
    ---
    id: audit.service_account_created
    title: Service account created
    description: A new service account can read vaults without a person signing in.
    severity: medium
    techniques: [T1136, T1098]
    streams: [auditevents]
    where: action:create target.type:sa
    kind: match
    group_by: [user.id]
    suppress: 1h
    tuning: Sentinel; Wazuh rule 100715.
    false_positives: [Planned integrations]
    tests:
      - name: created
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: create, object_type: sa, object_uuid: SA1}}
        expect: [{group: [U1], count: 1}]
      - name: a vault created
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: create, object_type: vault, object_uuid: v1}}
        expect: []
    ---
    id: audit.service_account_token
    title: Service-account token created, renamed, verified or revoked
    description: A change to a service account's tokens.
    severity: medium
    techniques: [T1098.001]
    streams: [auditevents]
    where: action:(create OR trename OR tverify OR trevoke) target.type:satoken
    kind: match
    group_by: [user.id]
    suppress: 1h
    tuning: Sentinel; Wazuh rule 100724 (trevoke).
    false_positives: [Token rotation]
    tests:
      - name: a token created
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: create, object_type: satoken, object_uuid: T1}}
        expect: [{group: [U1], count: 1}]
      - name: a service account created
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: create, object_type: sa, object_uuid: SA1}}
        expect: []
    ---
    id: audit.service_account_burst
    title: Burst of service-account changes
    description: At least 3 service-account or token operations by one user within 10 minutes.
    severity: medium
    techniques: [T1098]
    streams: [auditevents]
    where: target.type:(sa OR satoken)
    kind: threshold
    count: 3
    window: 10m
    group_by: [user.id]
    tuning: Wazuh rule 100754.
    false_positives: [Scripted integration set-up]
    tests:
      - name: three operations
        items:
          - item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: create, object_type: satoken, object_uuid: T1}
            repeat: 3
            every: 1m
        expect: [{group: [U1], count: 3}]
      - name: two operations
        items:
          - item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: create, object_type: satoken, object_uuid: T1}
            repeat: 2
        expect: []
    ---
    id: audit.privileged_vault_permission
    title: Access to a privileged vault changed
    description: Access to a vault on the privileged_vaults watchlist was granted, revoked or updated.
    severity: high
    techniques: [T1098]
    streams: [auditevents]
    where: action:(grant OR revoke OR update) target.type:(uva OR gva)
    conditions:
      - {field: target.id, in: privileged_vaults}
    kind: match
    group_by: [user.id, target.id]
    suppress: 1h
    tuning: Sentinel with the PV1PW watchlist; Sumo Logic's privileged vault monitor.
    false_positives: [Planned access reviews]
    tests:
      - name: a grant on a listed vault
        watchlists: {privileged_vaults: [v1]}
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: grant, object_type: uva, object_uuid: v1, aux_uuid: U2}}
        expect: [{group: [U1, v1], count: 1}]
      - name: a grant on another vault
        watchlists: {privileged_vaults: [v1]}
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: grant, object_type: uva, object_uuid: v2, aux_uuid: U2}}
        expect: []
    ---
    id: audit.vault_permission_by_other
    title: Vault access changed for someone else
    description: A user's access to a vault not on the privileged list was changed by someone other than that user.
    severity: info
    techniques: [T1098]
    streams: [auditevents]
    where: action:(grant OR revoke OR update) target.type:uva
    conditions:
      - {field: target.id, not_in: privileged_vaults}
      - {field: user.id, different_from: aux.uuid}
    kind: match
    group_by: [user.id]
    suppress: 1h
    tuning: Sentinel (Medium). Informational here, as administrators do this daily.
    false_positives: [Everyday administration]
    tests:
      - name: an administrator grants access
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: grant, object_type: uva, object_uuid: v1, aux_uuid: U2}}
        expect: [{group: [U1], count: 1}]
      - name: a user changes their own
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: grant, object_type: uva, object_uuid: v1, aux_uuid: U1}}
        expect: []
    ---
    id: audit.self_granted_vault_access
    title: User granted vault access to themself
    description: A user granted or changed their own access to a vault.
    severity: high
    techniques: [T1098, T1078]
    streams: [auditevents]
    where: action:(grant OR update) target.type:uva
    conditions:
      - {field: user.id, same_as: aux.uuid}
    kind: match
    group_by: [user.id, target.id]
    suppress: 1h
    tuning: Sentinel's self-escalation through a vault.
    false_positives: [Owners setting up their own vaults]
    tests:
      - name: self-granted
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: grant, object_type: uva, object_uuid: v1, aux_uuid: U1}}
        expect: [{group: [U1, v1], count: 1}]
      - name: granted to another
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: grant, object_type: uva, object_uuid: v1, aux_uuid: U2}}
        expect: []
    ---
    id: audit.self_granted_then_secrets
    title: Secrets read after granting oneself vault access
    description: A user grants themself access to a vault, then reveals, copies or fetches items of that vault within an hour.
    severity: critical
    techniques: [T1098, T1555]
    streams: [auditevents, itemusages]
    kind: sequence
    window: 1h
    group_by: [user.id, vault.id]
    steps:
      - name: self-grant
        streams: [auditevents]
        where: action:(grant OR update) target.type:uva
        conditions:
          - {field: user.id, same_as: aux.uuid}
        group_by: [user.id, target.id]
      - name: secrets read
        streams: [itemusages]
        where: action:(reveal OR secure-copy OR server-fetch)
    tuning: Sentinel (High, 1 hour).
    false_positives: [An owner creating and filling a vault]
    tests:
      - name: grant then reveal in the same vault
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: grant, object_type: uva, object_uuid: v1, aux_uuid: U1}, stream: auditevents}
          - {item: {uuid: B, timestamp: "2026-11-02T10:10:00Z", vault_uuid: v1, item_uuid: i1, action: reveal, user: {uuid: U1}}, stream: itemusages}
        expect: [{group: [U1, v1], count: 2}]
      - name: grant then reveal in another vault
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: grant, object_type: uva, object_uuid: v1, aux_uuid: U1}, stream: auditevents}
          - {item: {uuid: B, timestamp: "2026-11-02T10:10:00Z", vault_uuid: v2, item_uuid: i1, action: reveal, user: {uuid: U1}}, stream: itemusages}
        expect: []
    ---
    id: audit.self_joined_group
    title: User added themself to a group
    description: A user joined a group or changed their own role in it.
    severity: high
    techniques: [T1098.007]
    streams: [auditevents]
    where: action:(join OR role) target.type:gm
    conditions:
      - {field: user.id, same_as: aux.uuid}
    kind: match
    group_by: [user.id, target.id]
    suppress: 1h
    tuning: Sentinel's self-escalation through a group.
    false_positives: [Group owners managing their own membership]
    tests:
      - name: joined alone
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: join, object_type: gm, object_uuid: g1, aux_uuid: U1, aux_info: R}}
        expect: [{group: [U1, g1], count: 1}]
      - name: added by an administrator
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: join, object_type: gm, object_uuid: g1, aux_uuid: U2, aux_info: R}}
        expect: []
    ---
    id: audit.privileged_group_join
    title: User added to a privileged group
    description: Someone added a user to a group on the privileged_groups watchlist.
    severity: high
    techniques: [T1098.007]
    streams: [auditevents]
    where: action:(join OR role) target.type:gm
    conditions:
      - {field: target.id, in: privileged_groups}
    kind: match
    group_by: [aux.uuid, target.id]
    suppress: 1h
    tuning: Sentinel with the PG1PW watchlist. List the Owners and Administrators group uuids.
    false_positives: [Planned promotions]
    tests:
      - name: joined Owners
        watchlists: {privileged_groups: [g1]}
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: join, object_type: gm, object_uuid: g1, aux_uuid: U2, aux_info: R}}
        expect: [{group: [U2, g1], count: 1}]
      - name: joined another group
        watchlists: {privileged_groups: [g1]}
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: join, object_type: gm, object_uuid: g2, aux_uuid: U2, aux_info: R}}
        expect: []
    ---
    id: audit.vault_access_burst
    title: Many vault access changes
    description: At least 5 vault access changes by one user within 10 minutes.
    severity: medium
    techniques: [T1098]
    streams: [auditevents]
    where: action:(grant OR revoke OR update) target.type:(uva OR gva)
    kind: threshold
    count: 5
    window: 10m
    group_by: [user.id]
    tuning: Wazuh rule 100753.
    false_positives: [Onboarding a team]
    tests:
      - name: five grants
        items:
          - item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: grant, object_type: gva, object_uuid: v1, aux_uuid: g1}
            repeat: 5
            every: 1m
        expect: [{group: [U1], count: 5}]
      - name: four grants
        items:
          - item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: grant, object_type: gva, object_uuid: v1, aux_uuid: g1}
            repeat: 4
            every: 1m
        expect: []
    ---
    id: audit.recovery_begun
    title: Account recovery started
    description: An administrator began recovering a user's account (a new Secret Key and password will be set).
    severity: medium
    techniques: [T1098]
    streams: [auditevents]
    where: action:(begin OR beginr) target.type:user
    kind: match
    group_by: [target.id]
    suppress: 1h
    tuning: Wazuh rule 100716 rates it level 12; medium here, as recovering a lost Secret Key is routine. Raise it where recovery is rare.
    false_positives: [Users who lost their Secret Key]
    tests:
      - name: recovery begun
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: begin, object_type: user, object_uuid: U2}}
        expect: [{group: [U2], count: 1}]
      - name: recovery completed
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U2, action: complete, object_type: user, object_uuid: U2}}
        expect: []
    ---
    id: audit.master_password_changed
    title: Account password changed
    description: A user changed their account password.
    severity: info
    techniques: [T1098]
    streams: [auditevents]
    where: action:changemp
    kind: match
    group_by: [user.id]
    suppress: 24h
    tuning: Wazuh rule 100723.
    false_positives: [Routine changes]
    tests:
      - name: changed
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: changemp, object_type: user, object_uuid: U1}}
        expect: [{group: [U1], count: 1}]
      - name: name changed
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: changenm, object_type: user, object_uuid: U1}}
        expect: []
    ---
    id: audit.user_lifecycle
    title: User activated, suspended, reactivated or deleted
    description: A change to a user's membership of the account.
    severity: info
    techniques: [T1531, T1098]
    streams: [auditevents]
    where: action:(activate OR suspend OR reactive OR delete) target.type:user
    kind: match
    group_by: [target.id]
    suppress: 1h
    tuning: Wazuh rule 100711. The API spells reactivation `reactive`.
    false_positives: [Joiners and leavers]
    tests:
      - name: suspended
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: suspend, object_type: user, object_uuid: U2}}
        expect: [{group: [U2], count: 1}]
      - name: a vault deleted
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: delete, object_type: vault, object_uuid: v1}}
        expect: []
    ---
    id: audit.group_membership_change
    title: Group membership changed
    description: A user joined or left a group, or their role in it changed.
    severity: info
    techniques: [T1098.007]
    streams: [auditevents]
    where: action:(join OR leave OR role) target.type:gm
    kind: match
    group_by: [target.id]
    suppress: 1h
    tuning: Wazuh rule 100712.
    false_positives: [Everyday administration]
    tests:
      - name: a member left
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: leave, object_type: gm, object_uuid: g1, aux_uuid: U2}}
        expect: [{group: [g1], count: 1}]
      - name: a group renamed
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: update, object_type: group, object_uuid: g1}}
        expect: []
    ---
    id: audit.vault_created_or_deleted
    title: Vault created or deleted
    description: A shared vault was created or deleted.
    severity: info
    techniques: [T1485]
    streams: [auditevents]
    where: action:(create OR delete) target.type:vault
    kind: match
    group_by: [user.id]
    suppress: 1h
    tuning: Wazuh rule 100722.
    false_positives: [Everyday administration]
    tests:
      - name: deleted
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: delete, object_type: vault, object_uuid: v1}}
        expect: [{group: [U1], count: 1}]
      - name: exported
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: export, object_type: vault, object_uuid: v1}}
        expect: []
    ---
    id: audit.billing_change
    title: Billing details changed
    description: The subscription or payment card changed.
    severity: low
    techniques: [T1098]
    streams: [auditevents]
    where: target.type:(sub OR card)
    kind: match
    group_by: [user.id]
    suppress: 1h
    tuning: Wazuh rule 100719 names an object stripe that the API does not have; the API's billing objects are sub and card.
    false_positives: [Renewals]
    tests:
      - name: card replaced
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: replace, object_type: card, object_uuid: c1}}
        expect: [{group: [U1], count: 1}]
      - name: something else
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: update, object_type: account, object_uuid: ACC}}
        expect: []
    ---
    id: audit.vault_export
    title: Vault exported
    description: A user exported a whole vault.
    severity: medium
    techniques: [T1555, T1567]
    streams: [auditevents]
    where: action:export target.type:vault
    kind: match
    group_by: [user.id]
    suppress: 1h
    tuning: Sentinel (Low, hourly); Datadog; Wazuh rule 100718.
    false_positives: [Backups and migrations]
    tests:
      - name: exported
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: export, object_type: vault, object_uuid: v1}}
        expect: [{group: [U1], count: 1}]
      - name: viewed
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: view, object_type: vault, object_uuid: v1}}
        expect: []
    ---
    id: audit.export_before_departure
    title: Vault exported before the user was suspended or deleted
    description: A user exported a vault and was suspended or deleted within the next 14 days (an insider leaving with data).
    severity: high
    techniques: [T1567, T1555]
    streams: [auditevents]
    kind: sequence
    window: 14d
    group_by: [user.id]
    steps:
      - name: export
        where: action:export target.type:vault
      - name: departure
        where: action:(suspend OR delete) target.type:user
        group_by: [target.id]
    tuning: Sentinel (14 days). Judged as soon as the departure is seen.
    false_positives: [An export requested by the company before a planned departure]
    tests:
      - name: export then suspension three days later
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: export, object_type: vault, object_uuid: v1}}
          - {item: {uuid: B, timestamp: "2026-11-05T10:00:00Z", actor_uuid: ADMIN, action: suspend, object_type: user, object_uuid: U1}}
        expect: [{group: [U1], count: 2}]
      - name: someone else suspended
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: export, object_type: vault, object_uuid: v1}}
          - {item: {uuid: B, timestamp: "2026-11-05T10:00:00Z", actor_uuid: ADMIN, action: suspend, object_type: user, object_uuid: U9}}
        expect: []
    ---
    id: audit.export_after_joining
    title: Vault exported soon after the user joined
    description: A user was activated and exported a vault within 14 days.
    severity: medium
    techniques: [T1567, T1555]
    streams: [auditevents]
    kind: sequence
    window: 14d
    group_by: [user.id]
    steps:
      - name: joined
        where: action:activate target.type:user
        group_by: [target.id]
      - name: export
        where: action:export target.type:vault
    tuning: Sentinel (14 days after account creation).
    false_positives: [New administrators taking backups]
    tests:
      - name: activated then exported
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: ADMIN, action: activate, object_type: user, object_uuid: U1}}
          - {item: {uuid: B, timestamp: "2026-11-04T10:00:00Z", actor_uuid: U1, action: export, object_type: vault, object_uuid: v1}}
        expect: [{group: [U1], count: 2}]
      - name: exported a month later
        items:
          - {item: {uuid: A, timestamp: "2026-10-01T10:00:00Z", actor_uuid: ADMIN, action: activate, object_type: user, object_uuid: U1}}
          - {item: {uuid: B, timestamp: "2026-11-04T10:00:00Z", actor_uuid: U1, action: export, object_type: vault, object_uuid: v1}}
        expect: []
    ---
    id: audit.risky_country
    title: Audit event from a risky country
    description: An administrative change made from a country on the risky_countries watchlist.
    severity: high
    techniques: [T1078]
    streams: [auditevents]
    where: geo.country_code:*
    conditions:
      - {field: geo.country_code, in: risky_countries}
    kind: match
    group_by: [user.id]
    suppress: 1h
    tuning: Sumo Logic's "Audit Events from Risky Locations" (critical).
    false_positives: [Staff legitimately working from a listed country]
    tests:
      - name: from North Korea
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: update, object_type: account, object_uuid: ACC, location: {country: KP}}}
        expect: [{group: [U1], count: 1}]
      - name: from Sweden
        items:
          - {item: {uuid: A, timestamp: "2026-11-02T10:00:00Z", actor_uuid: U1, action: update, object_type: account, object_uuid: ACC, location: {country: SE}}}
        expect: []
    ---
    id: audit.new_device
    title: Administrative change from a new device
    description: An audit event from a session device the user has not used in 30 days, once known for 7 days.
    severity: low
    techniques: [T1078]
    streams: [auditevents]
    where: session.device_id:*
    kind: new_value
    fields: [session.device_id]
    lookback: 30d
    learning: 7d
    group_by: [user.id]
    tuning: Datadog's unusual device authorisation (new value).
    false_positives: [New laptops]
    tests:
      - name: a new device
        items:
          - {item: {uuid: A, timestamp: "2026-11-01T10:00:00Z", actor_uuid: U1, action: update, object_type: vault, object_uuid: v1, session: {uuid: S1, device_uuid: d1, ip: 192.0.2.1}}}
          - {item: {uuid: B, timestamp: "2026-11-10T10:00:00Z", actor_uuid: U1, action: update, object_type: vault, object_uuid: v1, session: {uuid: S2, device_uuid: d2, ip: 192.0.2.1}}}
        expect: [{group: [U1], count: 1}]
      - name: the same device
        items:
          - {item: {uuid: A, timestamp: "2026-11-01T10:00:00Z", actor_uuid: U1, action: update, object_type: vault, object_uuid: v1, session: {uuid: S1, device_uuid: d1, ip: 192.0.2.1}}}
          - {item: {uuid: B, timestamp: "2026-11-10T10:00:00Z", actor_uuid: U1, action: update, object_type: vault, object_uuid: v1, session: {uuid: S2, device_uuid: d1, ip: 192.0.2.1}}}
        expect: []
    """#
}
