package io.tracetrack.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The address a request came from, through the {@link TrustedProxies} in front of the server: what
 * sign-in locks and rate limits key on and what the audit trail records.
 *
 * <p>When the direct peer is not a trusted proxy it is the client, whatever {@code X-Forwarded-For}
 * says. When it is, the {@code X-Forwarded-For} entries (all such headers, in order) are walked from
 * the right, skipping trusted proxies; the first untrusted entry is the client. Entries to its left
 * were written by the client itself and are never believed. A malformed entry stops the walk and the
 * last trusted hop is used instead: past a hop that wrote garbage nothing is known. So does a walk
 * longer than {@link #MAX_HOPS}, so a header of thousands of entries costs little.
 */
public final class ClientAddress {

  /** How many forwarded entries are looked at, at most, from the right. */
  public static final int MAX_HOPS = 20;

  private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]{1,44}");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

  private ClientAddress() {}

  /**
   * The client address of a request.
   *
   * @param peer the direct peer's address as the server reports it
   * @param forwardedFor the values of every {@code X-Forwarded-For} header, in the order received
   * @param trusted the proxies allowed to name the client
   * @return the client address in canonical form ({@link InetAddress#getHostAddress()}), or the
   *     peer as given when it is not an address literal at all
   */
  public static String resolve(String peer, List<String> forwardedFor, TrustedProxies trusted) {
    Optional<InetAddress> direct = literal(peer);
    if (direct.isEmpty()) {
      return peer;
    }
    InetAddress hop = direct.get();
    if (trusted.isEmpty() || !trusted.trusts(hop)) {
      return hop.getHostAddress();
    }
    List<String> entries = rightmost(forwardedFor, MAX_HOPS);
    for (String entry : entries) {
      Optional<InetAddress> next = forwardedEntry(entry);
      if (next.isEmpty()) {
        break;
      }
      hop = next.get();
      if (!trusted.trusts(hop)) {
        return hop.getHostAddress();
      }
    }
    // every hop looked at was a proxy of ours, or the chain broke: the last proxy is all we know
    return hop.getHostAddress();
  }

  /** Up to {@code max} comma-separated entries, right-most first. */
  private static List<String> rightmost(List<String> values, int max) {
    List<String> out = new ArrayList<>();
    for (int v = values.size() - 1; v >= 0 && out.size() < max; v--) {
      String value = values.get(v);
      int end = value.length();
      while (out.size() < max) {
        int comma = value.lastIndexOf(',', end - 1);
        out.add(value.substring(comma + 1, end));
        if (comma < 0) {
          break;
        }
        end = comma;
      }
    }
    return out;
  }

  /**
   * One {@code X-Forwarded-For} entry: an address, optionally with a port ({@code 203.0.113.7:4711},
   * {@code [2001:db8::1]:443}), as some proxies write it.
   */
  static Optional<InetAddress> forwardedEntry(String entry) {
    String text = entry.strip();
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0 || !(close == text.length() - 1 || text.charAt(close + 1) == ':'
          && PORT.matcher(text.substring(close + 2)).matches())) {
        return Optional.empty();
      }
      String inside = text.substring(1, close);
      return inside.contains(":") ? literal(inside) : Optional.empty();
    }
    int colon = text.indexOf(':');
    if (colon >= 0 && text.indexOf(':', colon + 1) < 0) {
      // exactly one colon: IPv4 with a port
      return PORT.matcher(text.substring(colon + 1)).matches() ? ipv4(text.substring(0, colon)) : Optional.empty();
    }
    return literal(text);
  }

  /**
   * An IPv4 address in dotted-quad form or an IPv6 address, never a host name; parsed without any
   * name lookup. IPv4-mapped IPv6 addresses come back as IPv4, so a dual-stack peer matches IPv4
   * ranges.
   */
  public static Optional<InetAddress> literal(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.strip();
    if (t.indexOf(':') < 0) {
      return ipv4(t);
    }
    // a hex digit or colon first, then hex digits, colons and dots only, with at least one colon:
    // InetAddress parses this as an IPv6 literal or refuses it, and never takes it for a host name
    // to look up (it would for text starting otherwise)
    if (!IPV6.matcher(t).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(t));
    } catch (UnknownHostException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<InetAddress> ipv4(String text) {
    if (!IPV4.matcher(text).matches()) {
      return Optional.empty();
    }
    String[] parts = text.split("\\.");
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      b[i] = (byte) Integer.parseInt(parts[i]);
    }
    try {
      return Optional.of(InetAddress.getByAddress(b));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an address", e);
    }
  }

  static String printable(String value) {
    return value.codePoints().limit(80)
        .collect(StringBuilder::new, (b, cp) -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp), StringBuilder::append)
        .toString();
  }
}
