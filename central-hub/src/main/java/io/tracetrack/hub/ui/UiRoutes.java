package io.tracetrack.hub.ui;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.tracetrack.web.StaticFiles;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.webjars.WebJarVersionLocator;

/**
 * The hub's pages at {@code /}: the shell ({@code index.html}, {@code app.js}), the kit and one
 * module per page ({@code page-*.js}), the stylesheet, what the hub shares with the dock station
 * (the visual language, {@code tokens.css}, and the wedge-scanner framing, tones and flash,
 * {@code scan-kit.js}, both from the web kit), and the chart library from its WebJar under
 * {@code /vendor/}. Every file is loaded once at start (a file missing from the build stops the
 * start) and served with the kit's security headers: a Content-Security-Policy that allows scripts
 * and styles from this server only, never inline.
 */
public final class UiRoutes implements HttpService {

  /** The hub's own files in {@code /hub-web/}; a new page module is added here and in routes.js. */
  static final List<String> FILES = List.of(
      "index.html", "app.css", "app.js", "kit.js", "routes.js",
      "page-dashboard.js",
      // bags, search, bills
      "scanner.js", "page-bag.js", "page-search.js", "page-bills.js", "page-bill.js", "page-bill-print.js",
      // administration
      "admin-words.js", "page-users.js", "page-areas.js", "page-me.js", "page-promotions.js", "page-notifications.js",
      "page-fleet.js", "page-conflicts.js", "page-audit.js", "page-health.js", "page-webhooks.js",
      // import, export, end of day
      "page-import.js", "page-exports.js", "page-eod.js");

  private final StaticFiles files;

  /** Every path this serves ("/" and each file), public: the pages hold no data, the API does. */
  public static List<String> paths() {
    List<String> out = new java.util.ArrayList<>();
    out.add("/");
    served().keySet().forEach(name -> out.add("/" + name));
    return List.copyOf(out);
  }

  public UiRoutes() {
    this.files = StaticFiles.fromClasspath(served());
  }

  private static Map<String, String> served() {
    Map<String, String> served = new LinkedHashMap<>();
    FILES.forEach(name -> served.put(name, "/hub-web/" + name));
    // shared with the dock station: the visual language, and the scanner's framing, tones and flash
    served.put("tokens.css", "/web-kit/tokens.css");
    served.put("scan-kit.js", "/web-kit/scan-kit.js");
    WebJarVersionLocator webJars = new WebJarVersionLocator();
    // the WebJar's version comes from the jar itself, so a version bump in the pom is all it takes
    served.put("vendor/uplot.js", webJar(webJars, "uplot", "dist/uPlot.esm.js"));
    served.put("vendor/uplot.css", webJar(webJars, "uplot", "dist/uPlot.min.css"));
    return served;
  }

  private static String webJar(WebJarVersionLocator webJars, String name, String file) {
    String path = webJars.fullPath(name, file);
    if (path == null) {
      throw new IllegalStateException("the WebJar " + name + " (" + file + ") is missing from the build");
    }
    return path;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.register(files);
  }
}
