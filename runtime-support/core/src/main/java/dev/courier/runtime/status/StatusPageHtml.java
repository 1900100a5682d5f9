package dev.courier.runtime.status;

import dev.courier.runtime.config.LiveConfig;
import dev.courier.runtime.observe.LiveClients.ClientSnapshot;
import dev.courier.runtime.observe.LiveClients.EndpointSnapshot;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders the status page: one HTML document, no script, inline CSS only, that reloads itself
 * ({@code <meta http-equiv="refresh">}) and fits a phone's width (tables scroll sideways inside
 * their box). Every value is escaped. It shows what a {@link Model} holds and nothing else: no
 * metadata, credentials or configuration values ever reach it. Pure: the same model gives the
 * same page.
 */
final class StatusPageHtml {
  private static final String STYLE = "body{font:15px/1.4 system-ui,sans-serif;margin:0 auto;padding:12px;max-width:1100px;"
      + "color:#222}h1{font-size:1.3em;margin:.2em 0}h2{font-size:1.1em;margin:1.2em 0 .4em}"
      + "h3{font-size:1em;margin:.8em 0 .2em}tr.service th{background:#f4f4f4;font-weight:600}"
      + ".meta{color:#666;margin:.2em 0}.trouble{color:#a40;margin:.2em 0}.scroll{overflow-x:auto}"
      + "table{border-collapse:collapse;width:100%;font-size:.9em}th,td{text-align:left;padding:4px 8px;"
      + "border-bottom:1px solid #ddd;white-space:nowrap}td.policy{white-space:normal;min-width:12em}"
      + "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}"
      + ".health{font-weight:600}tr.ejected .health,tr.probing .health,tr.probe-due .health{color:#b00020}"
      + "tr.slow-start .health{color:#a66a00}tr.healthy .health{color:#1b7f3b}"
      + ".client,.config{border:1px solid #ddd;border-radius:6px;padding:4px 10px 8px;margin:8px 0}"
      + "@media (max-width:600px){body{padding:6px;font-size:14px}th,td{padding:3px 5px}}";

  private StatusPageHtml() {}

  /**
   * What one page shows: the server's address, how long it has run, the services with their
   * methods and declared policies, which of them have a generated reference page to link, each
   * method's figures, every live client, and every live configuration with the version in force.
   */
  record Model(String server, Duration uptime, Duration refresh, List<ServiceView> services,
      Set<String> documented, List<MethodStats.Row> methods, List<ClientSnapshot> clients,
      List<LiveConfig.Status> configs) {}

  static String render(Model m) {
    StringBuilder out = new StringBuilder(8192);
    out.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<meta http-equiv=\"refresh\" content=\"").append(Math.max(1, m.refresh().toSeconds())).append("\">")
        .append("<title>Courier status: ").append(escape(m.server())).append("</title><style>").append(STYLE)
        .append("</style></head><body>\n<h1>Courier status</h1><p class=\"meta\">server <span id=\"server\">")
        .append(escape(m.server())).append("</span> · up ").append(m.uptime().toSeconds()).append(" s · reloads every ")
        .append(m.refresh().toSeconds()).append(" s</p>\n");
    services(out, m);
    clients(out, m.clients());
    configs(out, m.configs());
    return out.append("</body></html>\n").toString();
  }

  private static void services(StringBuilder out, Model m) {
    Map<String, MethodStats.Row> figures = new LinkedHashMap<>();
    m.methods().forEach(row -> figures.put(row.method(), row));
    out.append("<section id=\"services\"><h2>Services</h2><p class=\"meta\">calls and latencies since start</p>")
        .append("<div class=\"scroll\"><table><thead><tr><th>method</th><th>type</th><th>declared policy</th>")
        .append("<th class=\"num\">calls</th><th class=\"num\">failed</th><th class=\"num\">p50</th>")
        .append("<th class=\"num\">p90</th><th class=\"num\">p99</th></tr></thead><tbody>\n");
    for (ServiceView service : m.services()) {
      serviceRow(out, service.name(), m.documented().contains(service.name()));
      for (ServiceView.Method method : service.methods()) {
        methodRow(out, method.fullName(), method.type(), String.join(", ", PolicyText.of(method.policy(), method.type(), method.hashKey())),
            figures.remove(method.fullName()));
      }
    }
    for (MethodStats.Row rest : figures.values()) { // called but not listed (a standard service)
      methodRow(out, rest.method(), "", "", rest);
    }
    out.append("</tbody></table></div></section>\n");
  }

  /** The service's name, and a link to its generated reference page when the application ships it. */
  private static void serviceRow(StringBuilder out, String service, boolean documented) {
    out.append("<tr class=\"service\" data-service=\"").append(escape(service)).append("\"><th colspan=\"8\">")
        .append(escape(service));
    if (documented) {
      out.append(" · <a class=\"reference\" href=\"docs/").append(escape(service)).append("\">reference</a>");
    }
    out.append("</th></tr>\n");
  }

  private static void methodRow(StringBuilder out, String method, String type, String policy, MethodStats.Row row) {
    out.append("<tr data-method=\"").append(escape(method)).append("\"><td>").append(escape(method))
        .append("</td><td>").append(escape(type)).append("</td><td class=\"policy\">").append(escape(policy))
        .append("</td><td class=\"num calls\">").append(row == null ? 0 : row.calls())
        .append("</td><td class=\"num failed\">").append(row == null ? 0 : row.failed())
        .append("</td><td class=\"num\">").append(row == null ? "-" : millis(row.p50Nanos()))
        .append("</td><td class=\"num\">").append(row == null ? "-" : millis(row.p90Nanos()))
        .append("</td><td class=\"num\">").append(row == null ? "-" : millis(row.p99Nanos()))
        .append("</td></tr>\n");
  }

  private static void clients(StringBuilder out, List<ClientSnapshot> clients) {
    out.append("<section id=\"clients\"><h2>Clients in this process</h2>");
    if (clients.isEmpty()) {
      out.append("<p class=\"meta\">none</p>");
    }
    for (ClientSnapshot c : clients) {
      out.append("<article class=\"client\" data-kind=\"").append(escape(c.kind())).append("\" data-name=\"")
          .append(escape(c.name())).append("\"><h3>").append(escape(c.kind())).append(" ").append(escape(c.name()))
          .append("</h3><p class=\"meta\">").append(escape(c.source()));
      if (!c.retryBudget().isEmpty()) {
        out.append(" · retry budget: <span class=\"budget\">").append(escape(c.retryBudget())).append("</span>");
      }
      out.append("</p>");
      if (!c.endpoints().isEmpty()) {
        endpoints(out, c.endpoints());
      }
      if (!c.counters().isEmpty()) {
        out.append("<p class=\"counters\">");
        c.counters().forEach((name, value) -> out.append("<span data-counter=\"").append(escape(name)).append("\">")
            .append(escape(name)).append(" ").append(value).append("</span> "));
        out.append("</p>");
      }
      out.append("</article>\n");
    }
    out.append("</section>\n");
  }

  /** Where each live configuration's version in force came from; its values are not shown. */
  private static void configs(StringBuilder out, List<LiveConfig.Status> configs) {
    out.append("<section id=\"config\"><h2>Live configuration</h2>");
    if (configs.isEmpty()) {
      out.append("<p class=\"meta\">none followed; policies come from the builder and the .proto</p>");
    }
    for (LiveConfig.Status c : configs) {
      out.append("<article class=\"config\" data-origin=\"").append(escape(c.origin())).append("\"><h3>")
          .append(escape(c.origin())).append("</h3><p class=\"meta\">in force: <span class=\"revision\">")
          .append(escape(c.revision())).append("</span> · ").append(c.keys()).append(c.keys() == 1 ? " key" : " keys")
          .append(" · followed by ").append(c.followers()).append("</p>");
      if (!c.trouble().isEmpty()) {
        out.append("<p class=\"trouble\">").append(escape(c.trouble())).append("</p>");
      }
      out.append("</article>\n");
    }
    out.append("</section>\n");
  }

  private static void endpoints(StringBuilder out, List<EndpointSnapshot> endpoints) {
    out.append("<div class=\"scroll\"><table><thead><tr><th>endpoint</th><th>health</th>")
        .append("<th class=\"num\">ejections</th><th class=\"num\">in flight</th><th class=\"num\">latency</th>")
        .append("</tr></thead><tbody>");
    for (EndpointSnapshot e : endpoints) {
      out.append("<tr class=\"").append(e.health().replace(' ', '-')).append("\" data-endpoint=\"")
          .append(escape(e.authority())).append("\"><td>").append(escape(e.authority()))
          .append("</td><td class=\"health\">").append(escape(e.health()))
          .append("</td><td class=\"num ejections\">").append(e.ejections())
          .append("</td><td class=\"num\">").append(e.inFlight())
          .append("</td><td class=\"num\">").append(e.latencyNanos() == 0 ? "-" : millis(e.latencyNanos()))
          .append("</td></tr>");
    }
    out.append("</tbody></table></div>");
  }

  /** Nanoseconds as milliseconds with two significant decimals: {@code 0.42 ms}, {@code 12.3 ms}. */
  static String millis(long nanos) {
    double ms = nanos / 1e6;
    return (ms < 10 ? String.format(java.util.Locale.ROOT, "%.2f", ms)
        : ms < 100 ? String.format(java.util.Locale.ROOT, "%.1f", ms)
        : String.format(java.util.Locale.ROOT, "%.0f", ms)) + " ms";
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
