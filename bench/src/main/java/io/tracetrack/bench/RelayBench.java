package io.tracetrack.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.events.EventEnvelope;
import io.tracetrack.hub.events.EventRelay;
import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.sync.Change;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code ./tracetrack bench relay [--events N] [--rate R] [--seconds S]}: the hub's own {@link
 * EventRelay} on PostgreSQL (fsync on) publishing to a Kafka broker in a process of its own ({@code
 * ./tracetrack broker}, from kafka-tools.jar), each beside a raw producer sending the same records
 * to the same broker in the same run, with the relay's own producer settings ({@code acks=all},
 * idempotent).
 *
 * <ol>
 *   <li>Throughput: N entries already committed, the relay started, timed until its position is the
 *       head; the raw producer sends the same N envelopes (made beforehand, so it pays for no
 *       database) and is timed to its last acknowledgement.
 *   <li>Latency: writers commit link entries at R a second for S seconds (transactions of 25, as a
 *       dock's push carries), the relay nudged after each commit as the hub does; a consumer
 *       records when each event arrives. Commit → consumer is from the commit's return to the
 *       event read, so it includes Kafka's own hop to a reader (an upper bound of commit →
 *       Kafka). The raw producer at the same rate gives the floor: sent → consumer.
 * </ol>
 */
final class RelayBench {

  /** Entries per writer transaction: about a dock push's worth. */
  static final int PER_COMMIT = 25;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path workDir;
  private final int events;
  private final int rate;
  private final int seconds;

  RelayBench(Path workDir, int events, int rate, int seconds) {
    if (events < 1 || rate < PER_COMMIT || seconds < 1) {
      throw new IllegalArgumentException("relay needs --events 1.., --rate " + PER_COMMIT + ".., --seconds 1..");
    }
    this.workDir = workDir;
    this.events = events;
    this.rate = rate;
    this.seconds = seconds;
  }

  String run() throws Exception {
    Files.createDirectories(workDir);
    int port = freePortAndNext();
    Process broker = startBroker(workDir, port);
    try (EmbeddedPostgres pg = BenchPostgres.start(workDir, 50)) {
      String bootstrap = "127.0.0.1:" + port;
      awaitBroker(bootstrap, broker);
      String url = BenchPostgres.createDatabase(pg, "relay");
      try (HubDatabase db = HubDatabase.postgres(url, "postgres", "postgres", 8)) {
        return measure(db, bootstrap);
      }
    } finally {
      broker.destroy();
      if (!broker.waitFor(20, TimeUnit.SECONDS)) {
        broker.destroyForcibly();
      }
    }
  }

  private String measure(HubDatabase db, String bootstrap) throws Exception {
    ChangeLog log = new ChangeLog(db);
    EventRelay[] current = new EventRelay[1];
    db.afterEachCommit(() -> { // as the hub's composition root does: a commit wakes the relay
      EventRelay r = current[0];
      if (r != null) {
        r.nudge();
      }
    });

    // 1. throughput: N entries committed, then relayed; the raw producer sends the same envelopes
    long base = log.head();
    commitBatches(db, events, 0);
    List<ProducerRecord<String, byte[]>> same = new ArrayList<>(events);
    for (long after = base; after < base + events; ) {
      ChangeLog.Page page = log.read(after, ChangeLog.MAX_PAGE);
      for (ChangeLog.Stored e : page.entries()) {
        same.add(new ProducerRecord<>("bench.raw", e.entityKey(), EventEnvelope.json(e, EventRelay.SOURCE)));
      }
      after = page.next();
    }
    double rawPerSecond;
    try (Producer<String, byte[]> raw = EventRelay.producer(bootstrap, "bench-raw")) {
      raw.partitionsFor("bench.raw"); // the metadata, as the relay has it after its first round
      long t0 = System.nanoTime();
      for (ProducerRecord<String, byte[]> r : same) {
        raw.send(r);
      }
      raw.flush(); // every record acknowledged (acks=all)
      rawPerSecond = events / ((System.nanoTime() - t0) / 1e9);
    }
    long head = log.head();
    double relayPerSecond;
    EventRelay relay = new EventRelay(db, log, EventRelay.producer(bootstrap, "bench-relay"), "bench.relay",
        EventRelay.SOURCE, "bench", Clock.systemUTC());
    long t0 = System.nanoTime();
    current[0] = relay;
    relay.start();
    while (relay.position() < head) {
      Thread.sleep(5);
    }
    relayPerSecond = (head - base) / ((System.nanoTime() - t0) / 1e9);
    current[0] = null;
    relay.close();

    // 2. latency at the paced rate: the relay, then the raw producer at the same rate
    int paced = rate * seconds;
    Latencies viaRelay = pacedRelay(db, log, bootstrap, current, paced);
    Latencies rawPaced = pacedRaw(bootstrap, same.isEmpty() ? null : same.getFirst(), paced);

    return report(rawPerSecond, relayPerSecond, viaRelay, rawPaced);
  }

  /** Commit → consumer for {@code n} entries committed at the rate, through a relay to a topic of its own. */
  private Latencies pacedRelay(HubDatabase db, ChangeLog log, String bootstrap, EventRelay[] current, int n)
      throws Exception {
    EventRelay relay = new EventRelay(db, log, EventRelay.producer(bootstrap, "bench-relay-paced"), "bench.relay.paced",
        EventRelay.SOURCE, "bench", Clock.systemUTC());
    current[0] = relay;
    relay.start();
    // warmed as a running hub's relay is: the lease held, the producer's metadata fetched
    commit(db, PER_COMMIT, 900_000_000L);
    long base = log.head();
    while (relay.position() < base) {
      Thread.sleep(5);
    }
    AtomicLongArray committed = new AtomicLongArray(n);
    Reader reader = new Reader(bootstrap, "bench.relay.paced", n, base);
    reader.start();
    long t0 = System.nanoTime();
    int written = 0;
    for (int i = 0; written < n; i++) {
      long due = t0 + (long) ((double) i * PER_COMMIT / rate * 1e9);
      sleepUntil(due);
      int k = Math.min(PER_COMMIT, n - written);
      long first = commit(db, k, base + written);
      long at = System.nanoTime();
      for (int j = 0; j < k; j++) {
        committed.set((int) (first + j - base - 1), at);
      }
      written += k;
    }
    double achieved = n / ((System.nanoTime() - t0) / 1e9);
    reader.await(Duration.ofSeconds(60));
    current[0] = null;
    relay.close();
    return reader.latencies(committed, achieved);
  }

  /** Sent → consumer for {@code n} records at the rate, straight from a producer: the floor for the relay's figure. */
  private Latencies pacedRaw(String bootstrap, ProducerRecord<String, byte[]> sample, int n) throws Exception {
    AtomicLongArray sent = new AtomicLongArray(n);
    Reader reader = new Reader(bootstrap, "bench.raw.paced", n, 0);
    reader.start();
    byte[] value = sample == null ? "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8) : sample.value();
    long t0 = System.nanoTime();
    int written = 0;
    try (Producer<String, byte[]> raw = EventRelay.producer(bootstrap, "bench-raw-paced")) {
      raw.send(new ProducerRecord<>("bench.raw.paced", "warm", rewriteId(value, 0))).get(); // metadata fetched, as the relay's was
      for (int i = 0; written < n; i++) {
        sleepUntil(t0 + (long) ((double) i * PER_COMMIT / rate * 1e9));
        int k = Math.min(PER_COMMIT, n - written);
        long at = System.nanoTime();
        for (int j = 0; j < k; j++) {
          int id = written + j + 1;
          sent.set(id - 1, at);
          raw.send(new ProducerRecord<>("bench.raw.paced", "P" + (id % 1000), rewriteId(value, id)));
        }
        written += k;
      }
      double achieved = n / ((System.nanoTime() - t0) / 1e9);
      raw.flush();
      reader.await(Duration.ofSeconds(60));
      return reader.latencies(sent, achieved);
    }
  }

  /** The sample envelope with {@code id} set to {@code id}: the raw records are the relay's size and shape. */
  private static byte[] rewriteId(byte[] envelope, long id) throws IOException {
    var node = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(envelope);
    node.put("id", Long.toString(id));
    return JSON.writeValueAsBytes(node);
  }

  /** Commits {@code n} link entries in transactions of {@link #PER_COMMIT}; answers nothing (the filling). */
  private static void commitBatches(HubDatabase db, int n, long salt) {
    for (int done = 0; done < n; done += PER_COMMIT * 4) {
      commit(db, Math.min(PER_COMMIT * 4, n - done), salt + done);
    }
  }

  /** One transaction of {@code k} link entries (children of a handful of parents), as a dock's push makes. */
  private static long commit(HubDatabase db, int k, long salt) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    List<ChangeLog.Entry> entries = new ArrayList<>(k);
    for (int j = 0; j < k; j++) {
      long n = salt + j;
      String parent = String.format(Locale.ROOT, "P%06d-30", n / 30 % 1_000_000);
      String child = String.format(Locale.ROOT, "C%09d", n % 1_000_000_000);
      entries.add(new ChangeLog.Entry(new Change.Link(parent, child), now, "edge:BENCH:" + n, "BENCH", null));
    }
    return db.transaction(tx -> ChangeLog.append(tx, entries));
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long wait = nanos - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  /** Reads a topic from its start and notes when each event (by its {@code id}) arrived. */
  private static final class Reader {
    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final int n;
    private final long base;
    private final AtomicLongArray arrived;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;
    private volatile int count;
    private volatile RuntimeException failed;

    Reader(String bootstrap, String topic, int n, long base) {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
      this.consumer = new KafkaConsumer<>(p);
      this.topic = topic;
      this.n = n;
      this.base = base;
      this.arrived = new AtomicLongArray(n);
      this.thread = Thread.ofPlatform().name("bench-reader-" + topic).unstarted(this::read);
      List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      consumer.poll(Duration.ZERO); // joins the partitions before the clock starts
    }

    void start() {
      thread.start();
    }

    private void read() {
      try {
        while (!stop.get() && count < n) {
          for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
            long now = System.nanoTime();
            long id = Long.parseLong(JSON.readTree(r.value()).get("id").asText());
            int i = (int) (id - base - 1);
            if (i >= 0 && i < n && arrived.compareAndSet(i, 0, now)) {
              count++;
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        failed = e instanceof RuntimeException re ? re : new IllegalStateException(e);
      } finally {
        consumer.close();
      }
    }

    void await(Duration limit) throws InterruptedException {
      thread.join(limit.toMillis());
      stop.set(true);
      thread.join();
      if (failed != null) {
        throw failed;
      }
    }

    Latencies latencies(AtomicLongArray from, double achievedRate) {
      Samples s = new Samples(n);
      int missing = 0;
      for (int i = 0; i < n; i++) {
        long a = arrived.get(i);
        if (a == 0 || from.get(i) == 0) {
          missing++;
        } else {
          s.add(Math.max(0, a - from.get(i)));
        }
      }
      return new Latencies(s, missing, achievedRate);
    }
  }

  record Latencies(Samples samples, int missing, double achievedRate) {}

  private String report(double rawPerSecond, double relayPerSecond, Latencies relay, Latencies raw) {
    StringBuilder b = new StringBuilder();
    b.append("## Committed events to Kafka (").append(LocalDate.now(ZoneOffset.UTC)).append(")\n\n");
    b.append(String.format(Locale.ROOT, "`./tracetrack bench relay --events %d --rate %d --seconds %d` on this machine "
        + "(%d cores): the hub's own `EventRelay` on PostgreSQL (fsync on) publishing to a one-node Kafka broker in a "
        + "process of its own (`./tracetrack broker`), beside a raw producer with the relay's settings (`acks=all`, "
        + "idempotent) sending the same records to the same broker in the same run. Writers commit link entries in "
        + "transactions of %d; the relay is nudged after each commit, as in the hub.%n%n",
        events, rate, seconds, Runtime.getRuntime().availableProcessors(), PER_COMMIT));
    b.append("| throughput | events | events/s | ratio to raw | target | met |\n|---|---|---|---|---|---|\n");
    b.append(String.format(Locale.ROOT, "| raw producer, the same envelopes (built beforehand) | %,d | %,.0f | 1.00 | | |%n",
        events, rawPerSecond));
    double ratio = relayPerSecond / rawPerSecond;
    b.append(String.format(Locale.ROOT, "| relay: read from the log, sent, acknowledged, position committed | %,d | %,.0f | %.2f"
        + " | ≥ 0.5× raw | %s |%n%n", events, relayPerSecond, ratio, ratio >= 0.5 ? "yes" : "**no**"));
    b.append(String.format(Locale.ROOT, "| latency at %,d events/s for %d s | events | achieved rate/s | p50 ms | p99 ms | max ms"
        + " | target | met |%n|---|---|---|---|---|---|---|---|%n", rate, seconds));
    b.append(row("raw producer: sent → read by a consumer (the floor)", raw, ""));
    double p99 = relay.samples().count() == 0 ? Double.NaN : relay.samples().percentileMillis(99);
    b.append(row("relay: committed → read by a consumer", relay,
        "p99 ≤ 250 ms | " + (relay.missing() == 0 && p99 <= 250 ? "yes" : "**no**")));
    b.append('\n');
    if (relay.missing() > 0 || raw.missing() > 0) {
      b.append(String.format(Locale.ROOT, "Not read within 60 s of the last write: %d via the relay, %d from the raw producer.%n%n",
          relay.missing(), raw.missing()));
    }
    b.append("The broker, PostgreSQL, the writers, the relay and the reader share the machine's cores. "
        + "Commit → consumer includes the broker's hop to a reader, so it bounds commit → Kafka from above.\n\n");
    return b.toString();
  }

  private static String row(String what, Latencies l, String target) {
    Samples s = l.samples();
    if (s.count() == 0) {
      return "| " + what + " | 0 | | | | | " + (target.isEmpty() ? " | " : target) + " |\n";
    }
    return String.format(Locale.ROOT, "| %s | %,d | %,.0f | %.1f | %.1f | %.1f | %s |%n", what, s.count(), l.achievedRate(),
        s.percentileMillis(50), s.percentileMillis(99), s.percentileMillis(100), target.isEmpty() ? " | " : target);
  }

  /** {@code ./tracetrack broker} in a process of its own, its log in {@code workDir/broker.log}. */
  private static Process startBroker(Path workDir, int port) throws IOException {
    Path jar = kafkaToolsJar();
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-jar", jar.toString(), "broker", "--port", Integer.toString(port),
        "--data", workDir.resolve("broker").toString())
        .redirectErrorStream(true).redirectOutput(workDir.resolve("broker.log").toFile());
    return pb.start();
  }

  /** kafka-tools.jar: {@code -Dtracetrack.kafkaTools}, else where the build leaves it. */
  static Path kafkaToolsJar() {
    String given = System.getProperty("tracetrack.kafkaTools");
    for (Path p : given != null ? List.of(Path.of(given))
        : List.of(Path.of("kafka-tools", "target", "kafka-tools.jar"), Path.of("..", "kafka-tools", "target", "kafka-tools.jar"))) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException("kafka-tools.jar not found: build it with ./mvnw -pl kafka-tools -am -DskipTests package"
        + " (./tracetrack bench does)");
  }

  /** Waits for the broker to answer and makes the bench's topics (3 partitions, as the dev broker's default). */
  private static void awaitBroker(String bootstrap, Process broker) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (true) {
        if (!broker.isAlive()) {
          throw new IllegalStateException("the broker exited with " + broker.exitValue() + " (see broker.log)");
        }
        try {
          admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          break;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException notYet) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the broker did not answer in 90 s (see broker.log)", notYet);
          }
          Thread.sleep(200);
        }
      }
      admin.createTopics(List.of("bench.raw", "bench.relay", "bench.relay.paced", "bench.raw.paced").stream()
          .map(t -> new NewTopic(t, 3, (short) 1)).toList()).all().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * A port free now whose next one is free too: the dev broker's KRaft controller listens on the
   * port after its own. With only the first checked, a port after it taken by another process
   * (under {@code ./tracetrack test} the other modules' tests open hundreds of loopback sockets)
   * made the broker exit with 1 and the smoke test fail now and then (seen once, 2026-12-07).
   * KafkaToolsIT picks its broker's ports the same way.
   */
  private static int freePortAndNext() throws IOException {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(a.getLocalPort() + 1)) {
        return a.getLocalPort();
      } catch (IOException taken) {
        // the next one was in use: try another pair
      }
    }
    throw new IOException("no two free ports in a row");
  }
}
