package io.tracetrack.hub.webhooks;

import io.tracetrack.model.ErrorCode;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a webhook may send. An absolute {@code http} or {@code https} URL with a host, no
 * credentials, no fragment, at most {@link #MAX_URL} characters; and a host on the public internet,
 * unless {@code --webhook-allowed-hosts} names it: a loopback, private (RFC 1918, unique local,
 * carrier-grade NAT), link-local (cloud metadata sits there), unspecified or multicast address
 * would let whoever registers a webhook make the hub call into its own network.
 *
 * <p>The same check runs when a webhook is registered and again before every attempt, against
 * what the name resolves to then: a name that resolved to a public address at registration and
 * to 127.0.0.1 later (DNS rebinding) is refused at delivery. The JDK caches a lookup for 30
 * seconds, so the connection that follows the check uses the answer the check saw.
 */
public final class Destinations {

  /** The longest URL a webhook takes. */
  public static final int MAX_URL = 2000;

  /** Looks a host name up: the JDK's resolver, or a test's. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** What the check says about a URL. */
  public sealed interface Verdict {
    /** The URL may be sent to. */
    record Allowed(URI uri) implements Verdict {}

    /** It may not: {@code code} is {@link ErrorCode#WEBHOOK_URL_INVALID} or {@link ErrorCode#WEBHOOK_HOST_NOT_ALLOWED}. */
    record Refused(ErrorCode code, String reason) implements Verdict {}
  }

  private final Set<String> allowedHosts;
  private final Resolver resolver;

  /**
   * @param allowedHosts host names (or address literals) that may be loopback, private or
   *     link-local; compared case-blind with the URL's host as written
   */
  public Destinations(List<String> allowedHosts, Resolver resolver) {
    this.allowedHosts = allowedHosts.stream().map(Destinations::hostKey).collect(Collectors.toUnmodifiableSet());
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  /** The JDK's resolver. */
  public static Destinations of(List<String> allowedHosts) {
    return new Destinations(allowedHosts, InetAddress::getAllByName);
  }

  public Verdict check(String url) {
    if (url == null || url.isBlank()) {
      return invalid("url is required: the http(s) address events are posted to");
    }
    if (url.length() > MAX_URL) {
      return invalid("url is " + url.length() + " characters; at most " + MAX_URL);
    }
    if (url.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      return invalid("url has spaces or control characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return invalid("url is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return invalid("url must be http:// or https://, not " + (scheme.isEmpty() ? "a relative URL" : scheme + ":"));
    }
    if (uri.isOpaque() || uri.getRawUserInfo() != null) {
      return invalid("url must not carry credentials (user:password@): the signature is how the receiver knows the hub");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return invalid("url has no host name a resolver takes");
    }
    if (uri.getRawFragment() != null) {
      return invalid("url must not have a #fragment: it is never sent");
    }
    String host = hostKey(uri.getHost());
    if (allowedHosts.contains(host)) {
      return new Verdict.Allowed(uri);
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      return invalid("url's host " + host + " does not resolve");
    }
    for (InetAddress a : addresses) {
      String kind = internal(a);
      if (kind != null) {
        return new Verdict.Refused(ErrorCode.WEBHOOK_HOST_NOT_ALLOWED, host + " is " + (host.equals(a.getHostAddress())
            ? "" : "at " + a.getHostAddress() + ", ") + "a " + kind + " address: only hosts named by "
            + "--webhook-allowed-hosts may be");
      }
    }
    return new Verdict.Allowed(uri);
  }

  /** What kind of address the public internet does not reach {@code a} as, or null for a public one. */
  static String internal(InetAddress a) {
    if (a.isLoopbackAddress()) {
      return "loopback";
    }
    if (a.isLinkLocalAddress()) {
      return "link-local";
    }
    if (a.isAnyLocalAddress()) {
      return "unspecified";
    }
    if (a.isMulticastAddress()) {
      return "multicast";
    }
    if (a.isSiteLocalAddress()) {
      return "private";
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 0) {
        return "unspecified";
      }
      if (first == 100 && second >= 64 && second < 128) {
        return "private"; // carrier-grade NAT, 100.64.0.0/10
      }
    } else if (a instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) {
        return "private"; // unique local, fc00::/7
      }
      if (isMappedOrCompatible(b)) {
        try {
          return internal(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)));
        } catch (UnknownHostException e) {
          throw new IllegalStateException("four bytes are an address", e);
        }
      }
    }
    return null;
  }

  /** ::ffff:a.b.c.d (and the old ::a.b.c.d): an IPv4 address in IPv6 dress. */
  private static boolean isMappedOrCompatible(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0);
  }

  private static String hostKey(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }

  private static Verdict invalid(String reason) {
    return new Verdict.Refused(ErrorCode.WEBHOOK_URL_INVALID, reason);
  }
}
