package io.tracetrack.kafka;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code events}: reads the topic as a consumer group of its own (nothing committed, so another run
 * sees the same events) and prints each event's value, the CloudEvents JSON, on a line of its own.
 */
final class EventsTail {

  private EventsTail() {}

  static int run(KafkaTools.Task.Events task, PrintStream out) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, task.kafka());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "tracetrack-events-" + UUID.randomUUID());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, task.fromBeginning() ? "earliest" : "latest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    long printed = 0;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(task.topic()));
      long quietSince = System.nanoTime();
      while (printed < task.max()) {
        var records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<String, byte[]> r : records) {
          // one event a line: the envelope is JSON without line breaks, as the hub writes it
          out.println(new String(r.value(), StandardCharsets.UTF_8).replace('\n', ' '));
          quietSince = System.nanoTime();
          if (++printed >= task.max()) {
            break;
          }
        }
        if (System.nanoTime() - quietSince >= task.timeout().toNanos()) {
          break;
        }
      }
    }
    out.flush();
    return 0;
  }
}
