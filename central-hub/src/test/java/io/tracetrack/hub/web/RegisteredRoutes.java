package io.tracetrack.hub.web;

import io.helidon.http.Method;
import io.helidon.http.PathMatcher;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The routes a hub really serves, read from its mounts by running each service's
 * {@code routing(HttpRules)} against a recorder: "GET /api/v1/bags/{code}" and so on. Tests take
 * their route lists from here, so a new route cannot be left out of them. A rule the recorder
 * cannot name (a path matcher, a method predicate) fails loudly instead of being skipped.
 */
final class RegisteredRoutes implements HttpRules {

  private final String prefix;
  private final Set<String> routes;

  private RegisteredRoutes(String prefix, Set<String> routes) {
    this.prefix = prefix;
    this.routes = routes;
  }

  /** "METHOD /path/{param}" for every route of the mounts, sorted. */
  static Set<String> of(java.util.List<HubServer.Mount> mounts) {
    Set<String> routes = new TreeSet<>();
    for (HubServer.Mount m : mounts) {
      m.service().routing(new RegisteredRoutes(m.prefix(), routes));
    }
    return routes;
  }

  /** The method of a "METHOD /path" key. */
  static String method(String route) {
    return route.substring(0, route.indexOf(' '));
  }

  /** The path of a "METHOD /path" key. */
  static String path(String route) {
    return route.substring(route.indexOf(' ') + 1);
  }

  private static String join(String prefix, String path) {
    String joined = (prefix + "/" + path).replaceAll("/+", "/");
    return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
  }

  @Override
  public HttpRules register(HttpService... services) {
    for (HttpService s : services) {
      s.routing(this);
    }
    return this;
  }

  @Override
  public HttpRules register(String path, HttpService... services) {
    for (HttpService s : services) {
      s.routing(new RegisteredRoutes(join(prefix, path), routes));
    }
    return this;
  }

  @Override
  public HttpRules route(Method method, String path, Handler handler) {
    routes.add(method.text().toUpperCase(Locale.ROOT) + " " + join(prefix, path));
    return this;
  }

  @Override
  public HttpRules route(HttpRoute route) {
    throw new UnsupportedOperationException("a route built by hand: name it with get/post/... so tests can see it");
  }

  @Override
  public HttpRules route(Predicate<Method> methods, PathMatcher matcher, Handler handler) {
    throw new UnsupportedOperationException("a route by predicate or matcher: tests cannot name it (" + matcher + ")");
  }
}
