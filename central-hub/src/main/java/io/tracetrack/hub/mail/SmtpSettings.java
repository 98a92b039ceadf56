package io.tracetrack.hub.mail;

import java.util.Locale;
import java.util.Objects;

/**
 * Where mail goes: read once from flags and environment ({@code HUB_SMTP_*}); the password only from
 * the environment.
 *
 * @param user {@code null} for a server that takes mail without authentication
 * @param password {@code null} with {@code user}
 */
public record SmtpSettings(String host, int port, String user, String password, String from, Tls tls) {

  /** How the connection is protected. */
  public enum Tls {
    /** Plain connection upgraded with STARTTLS, which must succeed (submission, port 587). */
    STARTTLS(587),
    /** TLS from the first byte (port 465). */
    TLS(465),
    /** No encryption: only for a relay on the same host or a test server, and never with a password. */
    NONE(25),
    /**
     * No encryption, and the user's password sent in clear anyway: only when asked for by this very
     * name ({@code --smtp-tls plaintext-auth}), never by {@code none} with a user set.
     */
    PLAINTEXT_AUTH(25);

    private final int defaultPort;

    Tls(int defaultPort) {
      this.defaultPort = defaultPort;
    }

    public int defaultPort() {
      return defaultPort;
    }

    /** Whether the connection is encrypted (and so the server's certificate checked). */
    public boolean encrypted() {
      return this == STARTTLS || this == TLS;
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static Tls parse(String value) {
      return switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "starttls" -> STARTTLS;
        case "tls", "ssl" -> TLS;
        case "none", "off" -> NONE;
        case "plaintext-auth" -> PLAINTEXT_AUTH;
        default -> throw new IllegalArgumentException("--smtp-tls must be starttls, tls or none (or plaintext-auth): " + value);
      };
    }
  }

  public SmtpSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(tls, "tls");
    if (host.isBlank()) {
      throw new IllegalArgumentException("--smtp-host must name a mail server");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("--smtp-port must be between 1 and 65535: " + port);
    }
    if (!from.contains("@")) {
      throw new IllegalArgumentException("--smtp-from must be an e-mail address: " + from);
    }
    if (password != null && user == null) {
      throw new IllegalArgumentException("HUB_SMTP_PASSWORD is set but --smtp-user is not");
    }
    if (user != null && tls == Tls.NONE) {
      // seen on a local sink: AUTH PLAIN crossed the wire readable by anyone on the path
      throw new IllegalArgumentException("--smtp-user is set and --smtp-tls is none: the password would cross the network "
          + "in clear; use starttls or tls, or --smtp-tls plaintext-auth to send it in clear on purpose");
    }
  }

  /** Without the password: this record may end up in a log line. */
  @Override
  public String toString() {
    return "SmtpSettings[" + host + ":" + port + ", user=" + user + ", from=" + from + ", tls=" + tls
        + (password == null ? "" : ", password=***") + "]";
  }
}
