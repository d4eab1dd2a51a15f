import Testing
import VigilBase
import VigilConfig
import VigilSinks
import VigilTestSupport

/// `sinks:`: every type reads with its secrets as locations; mistakes are reported with their line.
@Suite struct SinksConfigTests {
  let base = "accounts:\n  - name: acme\n    token_file: acme.jwt\n"

  func load(_ text: String) throws(ConfigError) -> [SinkSettings] {
    try ConfigLoader(file: "/etc/vigil/vigil.yaml", environment: [:]).load(base + text).sinks
  }

  @Test func everySinkTypeReads() throws {
    let sinks = try load(
      """
      sinks:
        - {name: elastic, type: elasticsearch, url: https://es.example.com:9200, mode: integration, namespace: prod,
           api_key_file: secrets/es, filter: "stream:audit_events"}
        - {name: splunk, type: splunk_hec, url: https://splunk.example.com:8088, token_env: HEC_TOKEN, index: onepassword}
        - {name: dd, type: datadog, site: eu, api_key_env: DD_API_KEY, old_events: skip, tags: [env:prod]}
        - {name: sumo, type: sumologic, url_file: /run/secrets/sumo, category: security/1password}
        - {name: sentinel, type: sentinel, endpoint: https://dce.westeurope.ingest.monitor.azure.com,
           rule_id: dcr-0123, tenant: contoso, client_id: abc, client_secret_env: AZ_SECRET}
        - {name: rsyslog, type: syslog, host: siem.example.com, format: cef, facility: local4, ca_file: ca.pem}
        - {name: otel, type: otlp, endpoint: https://otel.example.com:4318,
           headers: [{name: Authorization, value_env: OTEL_AUTH}]}
        - {name: vector, type: http, url: https://vector.example.com/in, framing: json_array, format: ocsf}
        - {name: archive, type: file, path: archive/events.ndjson, rotate_every: 1d, rotate_bytes: 104857600, gzip: true}
      """)
    #expect(sinks.map(\.type) == SinkSettings.types)
    guard case .elasticsearch(let elastic) = sinks[0].kind else { Issue.record("not elasticsearch"); return }
    #expect(elastic.mode == .integration && elastic.namespace == "prod")
    #expect(elastic.apiKey == .file("/etc/vigil/secrets/es"))
    #expect(sinks[0].filter == "stream:audit_events")
    guard case .datadog(let datadog) = sinks[2].kind else { Issue.record("not datadog"); return }
    #expect(datadog.site == "EU" && datadog.oldEvents == .skip && datadog.tags == ["env:prod"])
    guard case .syslog(let syslog) = sinks[5].kind else { Issue.record("not syslog"); return }
    #expect(syslog.transport == .tls && syslog.port == 6514 && syslog.body == .cef && syslog.facility == 20)
    guard case .file(let file) = sinks[8].kind else { Issue.record("not file"); return }
    #expect(file.path == "/etc/vigil/archive/events.ndjson" && file.gzip && file.rotateSeconds == 86_400)
    #expect(sinks[3].destination.contains("/run/secrets/sumo"))
  }

  @Test func mistakesAreReportedWithTheirLine() {
    #expect {
      _ = try load(
        """
        sinks:
          - {name: a, type: elasticsearch, url: http://es.example.com:9200}
          - {name: b, type: syslog, host: siem.example.com, transport: tcp}
          - {name: c, type: splunk_hec, url: https://s.example.com}
          - {name: d, type: kafka}
          - {name: e, type: http, url: https://x.example.com, filter: "outcome:(", colour: red}
          - {name: f, type: sentinel, endpoint: https://dce.example.com, rule_id: r, tenant: t, client_id: c,
             client_secret_env: S, filter: "stream:alerts OR audit"}
          - {name: g, type: http, url: https://x.example.com, filter: "NOT stream:alerts"}
        """)
    } throws: { error in
      let text = "\(error)"
      return text.contains("vigil.yaml:5: url http://es.example.com") && text.contains("clear text")
        && text.contains("token_file") && text.contains("one of elasticsearch")
        && text.contains("filter is not a valid query") && text.contains("unknown key colour")
        && text.contains("sink f cannot take the alerts stream") && text.contains("not under AND or NOT")
    }
  }
}
