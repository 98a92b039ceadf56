package io.tracetrack.web;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The reverse proxies in front of a server, by address or CIDR range (IPv4 and IPv6). Only a request
 * whose direct peer is one of these may name the client in {@code X-Forwarded-For}
 * ({@link ClientAddress}); with none, the default, the header is ignored, because anyone can send it
 * and pick whatever address they like to be locked or audited under.
 *
 * @param ranges the trusted ranges; a single address is a range of one
 */
public record TrustedProxies(List<Range> ranges) {

  /** More entries than this in one setting is a configuration mistake, not a proxy chain. */
  public static final int MAX_RANGES = 256;

  public TrustedProxies {
    ranges = List.copyOf(ranges);
    if (ranges.size() > MAX_RANGES) {
      throw new IllegalArgumentException("at most " + MAX_RANGES + " trusted proxy ranges, got " + ranges.size());
    }
  }

  /** No proxy trusted: the direct peer is the client. */
  public static TrustedProxies none() {
    return new TrustedProxies(List.of());
  }

  /**
   * Parses a comma-separated list of addresses and CIDR ranges ({@code 10.0.0.7, 10.1.0.0/16,
   * fd00::/8}); blank is {@link #none()}. No host names: a name would be looked up (slow, and
   * whoever controls its DNS would decide whom we trust).
   *
   * @throws IllegalArgumentException naming the entry that is not an address or range
   */
  public static TrustedProxies parse(String commaSeparated) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      return none();
    }
    List<Range> out = new ArrayList<>();
    for (String entry : commaSeparated.split(",", -1)) {
      out.add(Range.parse(entry));
    }
    return new TrustedProxies(out);
  }

  /** Whether no proxy is trusted. */
  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** Whether {@code address} is one of the trusted proxies. */
  public boolean trusts(InetAddress address) {
    for (Range r : ranges) {
      if (r.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /**
   * An address and how many of its leading bits a match must share.
   *
   * @param network the first address of the range (host bits zero)
   * @param prefixLength 0–32 for IPv4, 0–128 for IPv6
   */
  public record Range(InetAddress network, int prefixLength) {

    public Range {
      Objects.requireNonNull(network, "network");
      int bits = network.getAddress().length * 8;
      if (prefixLength < 0 || prefixLength > bits) {
        throw new IllegalArgumentException("prefix length must be 0-" + bits + " for " + network.getHostAddress()
            + ", got " + prefixLength);
      }
      byte[] b = network.getAddress();
      for (int i = prefixLength; i < bits; i++) {
        if ((b[i / 8] & (0x80 >>> (i % 8))) != 0) {
          // 10.0.0.7/8 is most likely a typo; trusting all of 10/8 silently would widen it
          throw new IllegalArgumentException(network.getHostAddress() + "/" + prefixLength
              + " has bits set after the prefix; write the range's first address");
        }
      }
    }

    /**
     * Parses {@code address} or {@code address/prefix}.
     *
     * @throws IllegalArgumentException naming the entry
     */
    public static Range parse(String entry) {
      String text = entry.strip();
      int slash = text.indexOf('/');
      String addressText = slash < 0 ? text : text.substring(0, slash);
      if (addressText.startsWith("[") && addressText.endsWith("]") && addressText.contains(":")) {
        addressText = addressText.substring(1, addressText.length() - 1);
      }
      Optional<InetAddress> address = ClientAddress.literal(addressText);
      if (address.isEmpty()) {
        throw new IllegalArgumentException("not an IP address or CIDR range (no names, no ports): '"
            + ClientAddress.printable(entry) + "'");
      }
      int bits = address.get().getAddress().length * 8;
      if (slash < 0) {
        return new Range(address.get(), bits);
      }
      String prefix = text.substring(slash + 1);
      if (!prefix.matches("[0-9]{1,3}")) {
        throw new IllegalArgumentException("not a CIDR prefix length: '" + ClientAddress.printable(entry) + "'");
      }
      return new Range(address.get(), Integer.parseInt(prefix));
    }

    /** Whether {@code address} lies in this range (an IPv4 address never lies in an IPv6 range). */
    public boolean contains(InetAddress address) {
      byte[] a = address.getAddress();
      byte[] n = network.getAddress();
      if (a.length != n.length) {
        return false;
      }
      int full = prefixLength / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != n[i]) {
          return false;
        }
      }
      int rest = prefixLength % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (a[full] & mask) == (n[full] & mask);
    }

    @Override
    public String toString() {
      return network.getHostAddress() + "/" + prefixLength;
    }
  }
}
