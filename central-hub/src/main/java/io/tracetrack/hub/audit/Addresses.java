package io.tracetrack.hub.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Client addresses in the audit trail: what is kept of one after {@code --audit-address-days} (its
 * network: an IPv4 address's /24, an IPv6 address's /48), and the commitment the hash chain covers
 * while the full address is kept ({@code SHA-256(address, nonce)} with 128 random bits of nonce,
 * dropped at the cut, so the commitment cannot be turned back into the address by trying them all).
 * Pure text work: no name is ever looked up.
 */
final class Addresses {

  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern HEXTET = Pattern.compile("[0-9a-f]{1,4}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private Addresses() {}

  /**
   * The network an address belongs to, as stored after the cut: {@code 203.0.113.0/24},
   * {@code 2001:db8:85a3::/48}; an IPv4-mapped IPv6 address as its IPv4 network; a network (the
   * result of a cut) as itself; anything that is no address literal as {@code "?"}.
   */
  static String network(String address) {
    if (address == null) {
      return null;
    }
    String a = address.strip().toLowerCase(Locale.ROOT);
    if (a.endsWith("/24") || a.endsWith("/48")) {
      String cut = network(a.substring(0, a.length() - 3));
      return cut.equals(a) ? a : "?";
    }
    int zone = a.indexOf('%');
    if (zone >= 0) {
      a = a.substring(0, zone);
    }
    if (a.startsWith("[") && a.endsWith("]")) {
      a = a.substring(1, a.length() - 1);
    }
    var v4 = IPV4.matcher(a);
    if (v4.matches()) {
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(v4.group(i)) > 255) {
          return "?";
        }
      }
      return Integer.parseInt(v4.group(1)) + "." + Integer.parseInt(v4.group(2)) + "." + Integer.parseInt(v4.group(3)) + ".0/24";
    }
    if (a.startsWith("::ffff:") && IPV4.matcher(a.substring(7)).matches()) {
      return network(a.substring(7));
    }
    List<String> hextets = ipv6(a);
    if (hextets == null) {
      return "?";
    }
    return Integer.toHexString(Integer.parseInt(hextets.get(0), 16)) + ":" + Integer.toHexString(Integer.parseInt(hextets.get(1), 16))
        + ":" + Integer.toHexString(Integer.parseInt(hextets.get(2), 16)) + "::/48";
  }

  /** The eight hextets of an IPv6 literal, or null when it is not one. */
  private static List<String> ipv6(String a) {
    if (!a.contains(":") || a.indexOf("::") != a.lastIndexOf("::")) {
      return null;
    }
    String[] halves = a.split("::", -1);
    List<String> head = parts(halves[0]);
    List<String> tail = halves.length == 2 ? parts(halves[1]) : List.of();
    if (head == null || tail == null) {
      return null;
    }
    int missing = 8 - head.size() - tail.size();
    if (halves.length == 1 ? missing != 0 : missing < 1) {
      return null;
    }
    List<String> all = new ArrayList<>(head);
    for (int i = 0; i < missing; i++) {
      all.add("0");
    }
    all.addAll(tail);
    return all;
  }

  private static List<String> parts(String s) {
    if (s.isEmpty()) {
      return List.of();
    }
    List<String> out = Arrays.asList(s.split(":", -1));
    return out.stream().allMatch(h -> HEXTET.matcher(h).matches()) ? out : null;
  }

  /** A fresh nonce: 128 random bits as hex. */
  static String nonce() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The commitment to an address: SHA-256 of the address and the nonce, as hex. */
  static String commit(String address, String nonce) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest((address + "\u001f" + nonce).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
