package io.tracetrack.kafka;

import io.tracetrack.web.cli.Cli;
import io.tracetrack.web.cli.Env;
import io.tracetrack.web.cli.Flags;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kafka-tools broker|events}: the command lines, parsed by picocli as the apps' are (the same
 * wording for a mistake, exit 64), then run.
 */
public final class KafkaTools {

  private KafkaTools() {}

  /** What a parsed command line asks for. */
  sealed interface Task {
    record Broker(int port, Path data) implements Task {}

    record Events(String kafka, String topic, boolean fromBeginning, long max, Duration timeout) implements Task {}
  }

  public static void main(String[] args) {
    io.tracetrack.web.Logging.configureDefaults("kafka-tools");
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Task task;
    try {
      switch (parse(args, System.getenv())) {
        case Cli.Parsed.Print<Task> print -> {
          out.print(print.text());
          return;
        }
        case Cli.Parsed.Run<Task> run -> task = run.config();
      }
    } catch (IllegalArgumentException e) {
      System.err.println("kafka-tools: " + e.getMessage());
      System.exit(64);
      return;
    }
    int exit = switch (task) {
      case Task.Broker b -> DevBroker.run(b.port(), b.data(), out);
      case Task.Events e -> EventsTail.run(e, out);
    };
    if (exit != 0) {
      System.exit(exit);
    }
  }

  static Cli.Parsed<Task> parse(String[] args, Map<String, String> env) {
    return Cli.parse(Cli.commandLine(new Tools(), env, Map.of()), args, parsed -> switch (parsed.commandSpec().userObject()) {
      case BrokerCommand b -> b.task();
      case EventsCommand e -> e.task();
      default -> throw new IllegalArgumentException("name a command: broker or events");
    });
  }

  @Command(name = "kafka-tools", description = "Kafka for development and demos: a one-node broker, and the hub's events.",
      synopsisSubcommandLabel = "COMMAND",
      subcommands = {BrokerCommand.class, EventsCommand.class, AutoComplete.GenerateCompletion.class})
  static final class Tools {
    @Mixin
    Cli.HelpFlag help;
  }

  @Command(name = "broker", description = "Runs a single-node KRaft Kafka broker on 127.0.0.1 until stopped (Ctrl-C).")
  static final class BrokerCommand {
    @Mixin
    Cli.HelpFlag help;

    @Option(names = "--port", paramLabel = "PORT", description = "the port clients connect to (default 9092)")
    @Env("TT_BROKER_PORT")
    String port;

    @Option(names = "--data", paramLabel = "DIR", description = "where the broker keeps its logs (default ./broker-data)")
    @Env("TT_BROKER_DATA")
    String data;

    Task.Broker task() {
      int p = Flags.wholeNumber("--port", port, 9092, 1, 65_534);
      return new Task.Broker(p, Path.of(data == null ? "broker-data" : data).toAbsolutePath());
    }
  }

  @Command(name = "events", description = "Prints the hub's events from Kafka, one JSON envelope a line.")
  static final class EventsCommand {
    @Mixin
    Cli.HelpFlag help;

    @Option(names = "--kafka", paramLabel = "HOST:PORT[,...]", required = true, description = "the Kafka brokers")
    @Env("HUB_KAFKA")
    String kafka;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "the topic (default tracetrack.events)")
    @Env("HUB_KAFKA_TOPIC")
    String topic;

    @Option(names = "--from-beginning", description = "start at the oldest event the topic holds (default: only new ones)")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "exit 0 after N events (default: no limit)")
    String max;

    @Option(names = "--timeout-s", paramLabel = "S", description = "exit 0 after S seconds without an event (default 10)")
    String timeout;

    Task.Events task() {
      String t = topic == null ? "tracetrack.events" : topic;
      if (!t.matches("[A-Za-z0-9._-]{1,249}")) {
        throw new IllegalArgumentException("--topic must be 1-249 letters, digits, '.', '_' or '-': " + Flags.printable(t));
      }
      long n = max == null ? Long.MAX_VALUE : Flags.wholeNumber("--max", max, 0, 1, Integer.MAX_VALUE);
      int s = Flags.wholeNumber("--timeout-s", timeout, 10, 1, 86_400);
      return new Task.Events(Flags.hostPorts("--kafka", kafka), t, fromBeginning, n, Duration.ofSeconds(s));
    }
  }
}
