import Hummingbird
import NIOCore

/// The stylesheet and the one script, served from memory with a cache lifetime. The script is only an
/// enhancement (it submits the time picker when its choice changes); every page works without it.
enum StaticAssets {
  static func add(to router: Router<WebContext>) {
    router.get("/static/vigil.css") { _, _ in asset(stylesheet, type: "text/css; charset=utf-8") }
    router.get("/static/vigil.js") { _, _ in asset(script, type: "text/javascript; charset=utf-8") }
    router.get("/static/favicon.svg") { _, _ in asset(icon, type: "image/svg+xml") }
  }

  static func asset(_ text: String, type: String) -> Response {
    Response(
      status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
  }

  /// The page head's links to these assets.
  static let head =
    "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"
    + "<link rel=\"stylesheet\" href=\"/static/vigil.css\">"

  static let icon = """
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1a5fd0"/>\
    <path d="M8 9l8 15 8-15" fill="none" stroke="#fff" stroke-width="4" stroke-linejoin="round"/></svg>

    """

  static let script = """
    "use strict";
    document.addEventListener("DOMContentLoaded", function () {
      document.querySelectorAll("select.autosubmit").forEach(function (select) {
        select.addEventListener("change", function () {
          var form = select.form;
          if (select.name === "last") {
            form.querySelectorAll("input[name=from], input[name=to]").forEach(function (input) { input.value = ""; });
          }
          form.submit();
        });
      });
    });

    """

  static let stylesheet = """
    :root { color-scheme: light dark; --bg: #f7f7f8; --fg: #1b1d21; --muted: #5b616b; --card: #ffffff;
      --line: #d9dce1; --accent: #1a5fd0; --land: #e3e6ea; --bad: #b42318; --good: #067647;
      --c0: #1a5fd0; --c1: #d0641a; --c2: #2f9e44; --c3: #c2255c; --c4: #7048e8; --c5: #0c8599; --c6: #e8590c; --c7: #5c940d;
      --l1: #c5d8f7; --l2: #93b6ee; --l3: #5f92e3; --l4: #2f6fd6; --l5: #174ea6; }
    @media (prefers-color-scheme: dark) {
      :root { --bg: #121417; --fg: #e6e8eb; --muted: #a0a7b1; --card: #1c1f24; --line: #343942; --accent: #7aa7ff;
        --land: #2a2f37; --bad: #ff8a80; --good: #7bd88f;
        --c0: #7aa7ff; --c1: #ffa94d; --c2: #69db7c; --c3: #f783ac; --c4: #b197fc; --c5: #66d9e8; --c6: #ff922b; --c7: #a9e34b;
        --l1: #1e3a66; --l2: #24508f; --l3: #2f67b8; --l4: #4a86e0; --l5: #8db5ff; }
    }
    * { box-sizing: border-box; }
    body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--fg); }
    a { color: var(--accent); }
    a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
    .skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: var(--card); padding: 6px; z-index: 9; }
    header { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px; padding: 8px 16px; background: var(--card); border-bottom: 1px solid var(--line); }
    header nav { display: flex; align-items: center; gap: 16px; flex-wrap: wrap; }
    header ul { display: flex; gap: 12px; list-style: none; margin: 0; padding: 0; flex-wrap: wrap; }
    header a { text-decoration: none; } header a[aria-current=page] { font-weight: 700; text-decoration: underline; }
    .brand { font-weight: 800; font-size: 18px; color: var(--fg); }
    .signout { display: flex; gap: 8px; align-items: center; }
    main { padding: 16px; max-width: 1400px; margin: 0 auto; }
    h1 { margin: 0 0 4px; font-size: 24px; } h2 { font-size: 16px; margin: 0 0 8px; }
    .lead { color: var(--muted); margin-top: 0; }
    form.picker, form.search { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0 16px; }
    input, select, button { font: inherit; color: inherit; background: var(--card); border: 1px solid var(--line); border-radius: 4px; padding: 4px 8px; }
    button { cursor: pointer; background: var(--accent); color: var(--card); border-color: var(--accent); }
    .grid { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 16px; }
    .panel { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 12px; min-width: 0; }
    .w2 { grid-column: span 2; } .w3 { grid-column: span 3; }
    @media (max-width: 900px) { .grid { grid-template-columns: 1fr; } .w2, .w3 { grid-column: span 1; } }
    .chart { width: 100%; height: auto; display: block; }
    .chart text { fill: var(--fg); font-size: 12px; } .chart .tick, .chart .legend { fill: var(--muted); font-size: 11px; }
    .chart .big { font-size: 56px; font-weight: 700; } .chart .total { font-size: 22px; font-weight: 700; }
    .chart .up { fill: var(--bad); } .chart .down { fill: var(--good); } .chart .empty { fill: var(--muted); }
    .chart .grid { stroke: var(--line); stroke-dasharray: 2 3; } .chart .axis { stroke: var(--muted); }
    .chart .line { fill: none; stroke-width: 2; } .chart .prev { fill: none; stroke: var(--muted); stroke-dasharray: 5 4; stroke-width: 1.5; }
    .chart .land { fill: var(--land); stroke: var(--card); stroke-width: 0.5; }
    .chart .point { fill: var(--c1); fill-opacity: 0.7; stroke: var(--card); }
    .chart .ring { fill: none; stroke-width: 40; }
    .chart a:focus-visible path, .chart a:focus-visible rect, .chart a:focus-visible circle { stroke: var(--fg); stroke-width: 2; }
    .chart .l1 { fill: var(--l1); } .chart .l2 { fill: var(--l2); } .chart .l3 { fill: var(--l3); } .chart .l4 { fill: var(--l4); } .chart .l5 { fill: var(--l5); }
    .c0 { fill: var(--c0); stroke: var(--c0); } .c1 { fill: var(--c1); stroke: var(--c1); } .c2 { fill: var(--c2); stroke: var(--c2); } .c3 { fill: var(--c3); stroke: var(--c3); }
    .c4 { fill: var(--c4); stroke: var(--c4); } .c5 { fill: var(--c5); stroke: var(--c5); } .c6 { fill: var(--c6); stroke: var(--c6); } .c7 { fill: var(--c7); stroke: var(--c7); }
    .chart .line.c0, .chart .line.c1, .chart .line.c2, .chart .line.c3, .chart .line.c4, .chart .line.c5, .chart .line.c6, .chart .line.c7 { fill: none; }
    .chart .area { fill-opacity: 0.55; stroke-width: 1; } .chart rect { stroke: none; }
    .scroll { overflow-x: auto; } table { border-collapse: collapse; width: 100%; font-size: 13px; }
    th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; max-width: 40ch; }
    caption { text-align: left; font-weight: 600; padding: 4px 0; }
    .more { margin: 8px 0 0; font-size: 13px; } .problem { color: var(--bad); white-space: pre-wrap; } .hint, .empty { color: var(--muted); }
    .pages { display: flex; gap: 16px; margin: 12px 0; }
    .facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; } .facts dt { color: var(--muted); } .facts dd { margin: 0; overflow-wrap: anywhere; }
    .actions { display: flex; flex-wrap: wrap; gap: 16px; margin: 16px 0; } .actions form { display: flex; gap: 8px; align-items: center; }
    .sev-critical, .sev-high { color: var(--bad); font-weight: 700; }
    .login { max-width: 340px; margin: 10vh auto; } .login form { display: grid; gap: 8px; }
    .error { max-width: 600px; margin: 10vh auto; }

    """
}
