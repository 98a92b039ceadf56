package io.tracetrack.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.kafka.common.Uuid;

/**
 * {@code broker}: one Kafka node that is broker and KRaft controller at once, listening on
 * 127.0.0.1 only, its logs in the data folder (formatted on first use, reused after). Every internal
 * topic has one replica, as one node allows; topics are made on first use, so the hub's relay needs
 * no set-up. For development and demos; production runs a real cluster.
 */
final class DevBroker {

  private DevBroker() {}

  static int run(int port, Path data, PrintStream out) {
    try {
      Path logs = data.resolve("logs");
      Files.createDirectories(logs);
      // the broker's JVM needs its temporary folder to exist (a fresh container may lack it)
      Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
      Path config = data.resolve("server.properties");
      Files.writeString(config, properties(port, logs));
      if (!Files.exists(logs.resolve("meta.properties"))) {
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int formatted = kafka.tools.StorageTool.execute(new String[] {"format", "--cluster-id", Uuid.randomUuid().toString(),
            "--config", config.toString(), "--standalone"}, new PrintStream(said, true, StandardCharsets.UTF_8));
        if (formatted != 0) {
          System.err.println("kafka-tools: formatting " + logs + " failed: " + said.toString(StandardCharsets.UTF_8).strip());
          return 73;
        }
      }
      out.printf(Locale.ROOT, "Kafka broker (KRaft, one node) on 127.0.0.1:%d, data %s; stop with Ctrl-C%n", port, data);
      out.printf(Locale.ROOT, "Hub: --kafka 127.0.0.1:%d   Events: ./tracetrack events --kafka 127.0.0.1:%d --from-beginning%n",
          port, port);
      out.flush();
      // runs the node until the JVM is stopped; its own shutdown hook stops it cleanly
      kafka.Kafka.main(new String[] {config.toString()});
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + data, e);
    }
  }

  static String properties(int port, Path logs) {
    return String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.bootstrap.servers=127.0.0.1:" + (port + 1),
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + (port + 1),
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + (port + 1),
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + logs,
        "num.partitions=3",
        "auto.create.topics.enable=true",
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "") ;
  }
}
