package io.tracetrack.hub.db;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * One query answering many concurrent requests for the same kind of row, each answer read after its
 * request arrived: a request joins the next read that has not started yet (the data loader or group
 * commit pattern). A thousand docks long-polling ask the database for the log's head and for their
 * credential thousands of times a second; each asks for a read made after it came in (a revocation
 * counts from the next request, a commit made before the request is in its answer), and that is
 * what a shared read gives, at one round trip per batch instead of one per request.
 *
 * <p>A read runs on a virtual thread of its own while callers wait; a failure (the database away,
 * the pool busy) is thrown to every caller of that batch. Keys are deduplicated within a batch.
 *
 * @param <K> what is asked for (a credential's hash; one constant key for a single row)
 * @param <V> what is read; a key missing from the read's map answers null
 */
public final class SharedReads<K, V> {

  private final String name;
  private final Function<Set<K>, Map<K, V>> read;
  private final ReentrantLock lock = new ReentrantLock();
  private Map<K, CompletableFuture<V>> pending = new HashMap<>();
  private boolean reading;

  /**
   * @param name the reading thread's name
   * @param read one query for every key of a batch; keys it leaves out answer null
   */
  public SharedReads(String name, Function<Set<K>, Map<K, V>> read) {
    this.name = Objects.requireNonNull(name, "name");
    this.read = Objects.requireNonNull(read, "read");
  }

  /** The value of {@code key} as a read that started after this call saw it (null when absent). */
  public V get(K key) {
    Objects.requireNonNull(key, "key");
    CompletableFuture<V> answer;
    boolean start;
    lock.lock();
    try {
      answer = pending.computeIfAbsent(key, k -> new CompletableFuture<>());
      start = !reading;
      reading = true;
    } finally {
      lock.unlock();
    }
    if (start) {
      Thread.ofVirtual().name(name).start(this::drain);
    }
    try {
      return answer.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  /** Reads batch after batch while requests wait; a request that came in during a read is in the next. */
  private void drain() {
    while (true) {
      Map<K, CompletableFuture<V>> batch;
      lock.lock();
      try {
        if (pending.isEmpty()) {
          reading = false;
          return;
        }
        batch = pending;
        pending = new HashMap<>();
      } finally {
        lock.unlock();
      }
      try {
        Map<K, V> got = read.apply(java.util.Collections.unmodifiableSet(batch.keySet()));
        batch.forEach((k, f) -> f.complete(got.get(k)));
      } catch (RuntimeException | Error e) {
        batch.values().forEach(f -> f.completeExceptionally(e));
      }
    }
  }
}
