package io.tracetrack.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;

/**
 * The apps' default logging: one line per record with an ISO timestamp, and the chatty libraries
 * (Helidon, Flyway, jOOQ, Hikari, password4j, the Kafka client) at WARNING. An operator's own
 * {@code -Djava.util.logging.config.file} wins.
 */
public final class Logging {

  private static final String DEFAULTS = """
      handlers=java.util.logging.ConsoleHandler
      .level=INFO
      java.util.logging.ConsoleHandler.level=ALL
      java.util.logging.SimpleFormatter.format=%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n
      org.flywaydb.level=WARNING
      org.jooq.level=WARNING
      com.zaxxer.hikari.level=WARNING
      com.password4j.level=WARNING
      io.helidon.level=WARNING
      org.apache.kafka.level=WARNING
      kafka.level=WARNING
      """;

  private Logging() {}

  /** @param app the program name for the one line printed if configuring fails */
  public static void configureDefaults(String app) {
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    try {
      LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(DEFAULTS.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      System.err.println(app + ": logging configuration failed: " + e.getMessage());
    }
  }
}
