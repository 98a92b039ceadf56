package io.tracetrack.hub.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.db.LeasedWork;
import io.tracetrack.hub.log.ChangeLog;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes every committed change-log entry to Kafka, in log order: key = the entry's entity key
 * (so one bag's or bill's events keep their order in one partition), value = its {@link
 * EventEnvelope}. One hub instance relays at a time: it holds a lease in PostgreSQL ({@link
 * RelayStore}) and renews it while it works; when it dies, another takes over once the lease runs
 * out ({@link #LEASE}). The position moves only after Kafka acknowledged every entry up to it
 * ({@code acks=all}, idempotent producer), so an entry is delivered at least once, never skipped; a
 * repeat carries the same {@code id}.
 *
 * <p>The relay never holds up a write: it reads what was committed, on a thread of its own. Kafka
 * down, slow or refusing: it retries with backoff from where it got to, and the lag shows
 * ({@code hub_event_relay_lag_entries}, {@code hub_event_relay_lag_seconds}).
 */
public final class EventRelay implements AutoCloseable {

  /** The CloudEvents {@code source} of every event this hub publishes. */
  public static final String SOURCE = "tracetrack-hub";

  /** How long a lease holds without renewal: the longest a dead relay's successor waits. */
  public static final Duration LEASE = Duration.ofSeconds(8);
  /** Entries per round. */
  static final int BATCH = 500;
  /** How long an idle relay waits for a commit on this instance before looking at the log anyway. */
  static final Duration IDLE_WAIT = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final Logger LOG = Logger.getLogger(EventRelay.class.getName());

  private final HubDatabase db;
  private final ChangeLog log;
  private final Producer<String, byte[]> producer;
  private final String topic;
  private final String source;
  private final String instance;
  private final Clock clock;
  private final LeasedWork work;
  private volatile String lastError;

  /**
   * @param source the CloudEvents {@code source} of every event (this hub deployment)
   * @param instance this hub instance's name in the lease (host, process)
   */
  public EventRelay(HubDatabase db, ChangeLog log, Producer<String, byte[]> producer, String topic, String source,
      String instance, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.log = Objects.requireNonNull(log, "log");
    this.producer = Objects.requireNonNull(producer, "producer");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.source = Objects.requireNonNull(source, "source");
    this.instance = Objects.requireNonNull(instance, "instance");
    this.clock = Objects.requireNonNull(clock, "clock");
    RelayStore store = new RelayStore(db.dsl());
    this.work = new LeasedWork("event-relay", new LeasedWork.Lease() {
      @Override
      public boolean claim(OffsetDateTime now, OffsetDateTime until) {
        return store.claim(instance, now, until);
      }

      @Override
      public void release() {
        store.release(instance);
      }
    }, LEASE, clock, () -> {
      boolean sent = relayOnce(store);
      lastError = null;
      return sent ? Duration.ZERO : IDLE_WAIT;
    }, EventRelay::backoff, e -> {
      // Kafka down or refusing, the database away: tried again from the position, a little later each time
      lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
      LOG.log(Level.WARNING, "event relay: " + lastError + "; retrying with backoff");
    });
  }

  /** 1 s after the first failure in a row, doubling to {@link #MAX_BACKOFF}. */
  static Duration backoff(int failures) {
    return failures >= 6 ? MAX_BACKOFF : min(Duration.ofSeconds(1L << (failures - 1)), MAX_BACKOFF);
  }

  /** A producer for {@code bootstrap} with what the relay's promise needs: every replica acknowledged, no duplicates from retries, order kept. */
  public static Producer<String, byte[]> producer(String bootstrap, String clientId) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    // a broker that is down must not hold the relay's thread for long: it backs off and tries again
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  public void start() {
    work.start();
  }

  /** A commit on this instance: look at the log now rather than at the next idle check. */
  public void nudge() {
    work.nudge();
  }

  /** The lag gauges, read from the database when scraped. */
  public void register(MeterRegistry registry) {
    Gauge.builder("hub_event_relay_lag_entries", this, r -> r.lag().entries())
        .description("change-log entries not yet acknowledged by Kafka").register(registry);
    Gauge.builder("hub_event_relay_lag_seconds", this, r -> r.lag().seconds())
        .description("age of the oldest change-log entry not yet acknowledged by Kafka, 0 when none").register(registry);
  }

  /** Every entry up to here is in Kafka. */
  public long position() {
    return new RelayStore(db.dsl()).position();
  }

  /** How far behind the log the relay is. */
  public record Lag(long entries, double seconds, String holder, boolean relayingHere, String lastError) {}

  public Lag lag() {
    RelayStore.Lease lease = new RelayStore(db.dsl()).lease();
    long head = log.head();
    long behind = Math.max(0, head - lease.position());
    double seconds = 0;
    if (behind > 0) {
      List<ChangeLog.Stored> next = log.read(lease.position(), 1).entries();
      if (!next.isEmpty()) {
        seconds = Math.max(0, Duration.between(next.getFirst().at().toInstant(), clock.instant()).toMillis() / 1000.0);
      }
    }
    return new Lag(behind, seconds, lease.holder(), work.holding(), lastError);
  }

  /**
   * Sends the entries after the position and moves it once Kafka acknowledged them all.
   *
   * @return whether there was anything to send
   */
  private boolean relayOnce(RelayStore store) throws InterruptedException, java.util.concurrent.ExecutionException,
      java.util.concurrent.TimeoutException {
    long position = store.position();
    long oldest = log.oldest().orElse(position + 1);
    if (position < oldest - 1) {
      // entries pruned while no relay ran (the relay keeps them while it runs): say so, go on from what is held
      LOG.warning("event relay: the change log no longer holds entries " + (position + 1) + ".." + (oldest - 1)
          + " (pruned while no relay ran); relaying from " + oldest);
      store.advance(instance, oldest - 1, now());
      position = oldest - 1;
    }
    ChangeLog.Page page = log.read(position, BATCH);
    if (page.entries().isEmpty()) {
      return false;
    }
    List<Future<RecordMetadata>> sent = new ArrayList<>(page.entries().size());
    for (ChangeLog.Stored entry : page.entries()) {
      sent.add(producer.send(new ProducerRecord<>(topic, entry.entityKey(), EventEnvelope.json(entry, source))));
    }
    producer.flush();
    for (Future<RecordMetadata> f : sent) {
      f.get(1, TimeUnit.SECONDS); // flushed: each is done; a failure throws here and the position stays
    }
    long to = page.next();
    if (!store.advance(instance, to, now())) {
      work.lost(); // another instance took the lease meanwhile: it sends from the position it finds
    }
    return true;
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Stops relaying and gives the lease up, so another instance takes over at once. */
  @Override
  public void close() {
    work.close();
    producer.close(Duration.ofSeconds(5));
  }
}
