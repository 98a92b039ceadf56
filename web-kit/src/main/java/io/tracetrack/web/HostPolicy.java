package io.tracetrack.web;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which {@code Host} header values a server answers. Against DNS rebinding: a page from
 * {@code evil.example} whose name is re-pointed at 127.0.0.1 reaches a loopback server with the
 * browser's blessing, and its requests are same-origin to the browser; only the Host header still
 * says {@code evil.example}. A dock therefore answers only the names it is known by.
 *
 * @param anyHost every Host is accepted (the hub behind proxies)
 * @param names the accepted host names and addresses, lower-case, without port or brackets
 */
public record HostPolicy(boolean anyHost, Set<String> names) {

  /** The loopback names every dock answers. */
  public static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "::1");

  private static final Pattern HOST_NAME =
      Pattern.compile("[a-z0-9]([a-z0-9-]{0,62})(\\.[a-z0-9]([a-z0-9-]{0,62}))*");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]{2,45}");

  public HostPolicy {
    names = Set.copyOf(names);
  }

  /** Every Host accepted. */
  public static HostPolicy any() {
    return new HostPolicy(true, Set.of());
  }

  /** Loopback, the address the server is bound to, and the names given on purpose. */
  public static HostPolicy loopbackAnd(String bind, List<String> extra) {
    Set<String> names = new LinkedHashSet<>(LOOPBACK);
    host(bind).ifPresent(names::add);
    names.addAll(extra);
    return new HostPolicy(false, names);
  }

  /**
   * Parses a comma-separated list of host names or addresses (no ports, no wildcards).
   *
   * @throws IllegalArgumentException naming the entry that is not a host
   */
  public static List<String> parseList(String commaSeparated) {
    List<String> out = new ArrayList<>();
    if (commaSeparated == null || commaSeparated.isBlank()) {
      return out;
    }
    for (String entry : commaSeparated.split(",", -1)) {
      String name = entry.strip().toLowerCase(Locale.ROOT);
      if (name.startsWith("[") && name.endsWith("]")) {
        name = name.substring(1, name.length() - 1);
      }
      if (name.endsWith(".")) {
        name = name.substring(0, name.length() - 1);
      }
      if (name.length() > 253 || !(HOST_NAME.matcher(name).matches() || IPV6.matcher(name).matches() && name.contains(":"))) {
        throw new IllegalArgumentException("not a host name or address (no ports, no wildcards): '" + printable(entry) + "'");
      }
      out.add(name);
    }
    return out;
  }

  /** Whether a request with this Host header is answered. */
  public boolean allows(String hostHeader) {
    return anyHost || host(hostHeader).filter(names::contains).isPresent();
  }

  /**
   * The host part of a Host header value: lower-case, without port, brackets or trailing dot;
   * empty when it is not a plausible host at all.
   */
  static Optional<String> host(String header) {
    if (header == null) {
      return Optional.empty();
    }
    String value = header.strip().toLowerCase(Locale.ROOT);
    String host;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0 || !(close == value.length() - 1 || value.charAt(close + 1) == ':')) {
        return Optional.empty();
      }
      host = value.substring(1, close);
    } else {
      int colon = value.indexOf(':');
      if (colon >= 0 && value.indexOf(':', colon + 1) >= 0) {
        host = value; // a bare IPv6 address (a bind address, never a valid Host header)
      } else {
        host = colon < 0 ? value : value.substring(0, colon);
        String port = colon < 0 ? "" : value.substring(colon + 1);
        if (!port.matches("[0-9]{0,5}")) {
          return Optional.empty();
        }
      }
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    return host.isEmpty() || host.length() > 253 ? Optional.empty() : Optional.of(host);
  }

  private static String printable(String value) {
    return value.codePoints().limit(80)
        .collect(StringBuilder::new, (b, cp) -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp), StringBuilder::append)
        .toString();
  }
}
