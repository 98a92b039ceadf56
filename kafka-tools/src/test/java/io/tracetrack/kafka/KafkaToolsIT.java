package io.tracetrack.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.web.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code broker} and {@code events} as a person runs them: the jar as real processes. The broker
 * formats its data folder once and keeps what it was sent across a restart; {@code events} prints
 * each event on a line, stops after {@code --max} or when nothing comes for {@code --timeout-s},
 * and refuses a bad flag with exit 64.
 */
class KafkaToolsIT {

  private static final Path JAR = Path.of(System.getProperty("tools.jar", "target/kafka-tools.jar"));

  record Run(int exit, List<String> lines, String err) {}

  private static Run tool(String... args) throws Exception {
    return run(ChildJvm.commandKind(List.of(args)), args);
  }

  /** A refused command line: its own class-data archive kind ({@link ChildJvm}), not the working commands'. */
  private static Run refused(String... args) throws Exception {
    return run(ChildJvm.refusedKind(List.of(args)), args);
  }

  private static Run run(String kind, String... args) throws Exception {
    Process p = ChildJvm.start(JAR, kind, List.of(args), builder -> builder.redirectError(ProcessBuilder.Redirect.PIPE));
    List<String> lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).lines().toList();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("%s exits", String.join(" ", args)).isTrue();
    return new Run(p.exitValue(), lines, err);
  }

  /** A port free now whose next one is free too (the broker's controller listens there). */
  private static int freePorts() throws IOException {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(a.getLocalPort() + 1)) {
        return a.getLocalPort();
      } catch (IOException taken) {
        // the next one was in use: try another pair
      }
    }
    throw new IOException("no two free ports in a row");
  }

  private static Process broker(int port, Path data) throws Exception {
    Path log = data.getParent().resolve("broker-" + System.nanoTime() + ".log");
    Process p = ChildJvm.start(JAR, "broker", List.of("broker", "--port", String.valueOf(port), "--data", data.toString()),
        builder -> builder.redirectErrorStream(true).redirectOutput(log.toFile()));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return p;
      } catch (IOException notYet) {
        assertThat(p.isAlive()).as("the broker runs").isTrue();
        Thread.sleep(200);
      }
    }
    p.destroyForcibly();
    throw new AssertionError("the broker did not listen on " + port + " within 60 s");
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
    }
  }

  @Test
  void aBrokerKeepsWhatItWasSent_acrossARestart_andEventsPrintsIt_aLineEach() throws Exception {
    Path root = Files.createTempDirectory("kafka-tools-");
    Path data = root.resolve("broker-data");
    int port = freePorts();
    String bootstrap = "127.0.0.1:" + port;
    Process broker = broker(port, data);
    List<String> sent = List.of("{\"id\":\"1\",\"type\":\"io.tracetrack.bag.v1\"}", "{\"id\":\"2\",\"type\":\"io.tracetrack.link.v1\"}",
        "{\"id\":\"3\",\"type\":\"io.tracetrack.link.v1\"}");
    try {
      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
        for (String value : sent) {
          producer.send(new ProducerRecord<>("demo.events", "P1-5", value)).get(60, TimeUnit.SECONDS);
        }
      }
      Run printed = tool("events", "--kafka", bootstrap, "--topic", "demo.events", "--from-beginning", "--max", "3");
      assertThat(printed.exit()).as(printed.err()).isZero();
      assertThat(printed.lines()).containsExactlyElementsOf(sent);

      long started = System.nanoTime();
      Run quiet = tool("events", "--kafka", bootstrap, "--topic", "demo.events", "--timeout-s", "1");
      assertThat(quiet.exit()).isZero();
      assertThat(quiet.lines()).as("only new events without --from-beginning").isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
    } finally {
      stop(broker);
    }
    broker = broker(port, data);
    try {
      Run again = tool("events", "--kafka", bootstrap, "--topic", "demo.events", "--from-beginning", "--max", "3");
      assertThat(again.exit()).as(again.err()).isZero();
      assertThat(again.lines()).as("the data folder is kept, not formatted again").containsExactlyElementsOf(sent);
    } finally {
      stop(broker);
    }
  }

  @Test
  void badFlags_exit64_withTheFlagNamed() throws Exception {
    Run noBroker = refused("events");
    assertThat(noBroker.exit()).isEqualTo(64);
    assertThat(noBroker.err()).contains("--kafka");
    Run badBroker = refused("events", "--kafka", "not a broker");
    assertThat(badBroker.exit()).isEqualTo(64);
    assertThat(badBroker.err()).contains("--kafka must be HOST:PORT");
    Run badPort = refused("broker", "--port", "99999");
    assertThat(badPort.exit()).isEqualTo(64);
    assertThat(badPort.err()).contains("--port");
    Run help = refused("events", "--help");
    assertThat(help.exit()).isZero();
    assertThat(String.join("\n", help.lines())).contains("--from-beginning").contains("--timeout-s");
  }
}
