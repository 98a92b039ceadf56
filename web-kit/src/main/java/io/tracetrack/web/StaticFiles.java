package io.tracetrack.web;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixed set of files from the jar, served under their names ({@code index.html} also as
 * {@code /}). Loaded once at start: a page must keep working with the network unplugged, and a file
 * missing from the build should stop the start, not show up as a 404 at the dock. Only the listed
 * names are served, so no path from a request ever reaches the class loader. The security headers
 * (CSP and friends) come from {@link WebServers#guard}, like on every other answer.
 */
public final class StaticFiles implements HttpService {

  private final Map<String, byte[]> files = new LinkedHashMap<>();

  private StaticFiles() {}

  /**
   * Loads {@code names} from the class-path folder {@code folder} (e.g. {@code "/web/"}).
   *
   * @throws IllegalStateException naming a file missing from the build
   */
  public static StaticFiles fromClasspath(String folder, List<String> names) {
    Map<String, String> same = new LinkedHashMap<>();
    names.forEach(n -> same.put(n, folder + n));
    return fromClasspath(same);
  }

  /**
   * Loads class-path resources under names of our choosing: {@code served} maps the name a page
   * asks for to the resource's full path (a WebJar's file, say, whose own name has capitals and a
   * version in its folder).
   *
   * @throws IllegalStateException naming a file missing from the build
   */
  public static StaticFiles fromClasspath(Map<String, String> served) {
    StaticFiles out = new StaticFiles();
    served.forEach((name, resource) -> {
      if (!name.matches("([a-z0-9][a-z0-9_-]*/)?[a-z0-9][a-z0-9._-]*")) {
        throw new IllegalArgumentException("a static file name is a plain lower-case file name, in one folder at most: " + name);
      }
      String path = resource.startsWith("/") ? resource : "/" + resource;
      try (InputStream in = StaticFiles.class.getResourceAsStream(path)) {
        if (in == null) {
          throw new IllegalStateException("the web file " + path + " is missing from the build");
        }
        out.files.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot load web file " + path, e);
      }
    });
    return out;
  }

  @Override
  public void routing(HttpRules rules) {
    if (files.containsKey("index.html")) {
      rules.get("/", (req, res) -> send("index.html", res));
    }
    for (String name : files.keySet()) {
      rules.get("/" + name, (req, res) -> send(name, res));
    }
  }

  private void send(String name, ServerResponse res) {
    res.header(HeaderNames.CONTENT_TYPE, contentType(name));
    // revalidate every time: a dock updated in the night must not run yesterday's script
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    res.send(files.get(name));
  }

  static String contentType(String name) {
    int dot = name.lastIndexOf('.');
    return switch (dot < 0 ? "" : name.substring(dot + 1)) {
      case "html" -> "text/html; charset=utf-8";
      case "js", "mjs" -> "text/javascript; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "svg" -> "image/svg+xml";
      case "png" -> "image/png";
      case "ico" -> "image/x-icon";
      case "json" -> "application/json";
      default -> "application/octet-stream";
    };
  }
}
