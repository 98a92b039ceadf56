package io.tracetrack.hub.db;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A value kept for one {@link HubDatabase#transaction}: each transaction running on a thread has a
 * value of its own, made on first use, dropped when the transaction ends (committed, after its
 * commit listeners ran, or rolled back). A transaction opened inside another (on a connection of its
 * own) has its own value, so what the inner one did is not mistaken for the outer's.
 *
 * <p>Why not a plain {@link ThreadLocal}: its value outlives the transaction, so an inner
 * transaction's commit listeners saw, and acted on, what the outer one had not committed yet.
 */
public final class TransactionLocal<T> {

  /** This thread's open transactions, the innermost first: each a map of the locals it has used. */
  private static final ThreadLocal<ArrayDeque<Map<TransactionLocal<?>, Object>>> OPEN = new ThreadLocal<>();

  private final Supplier<T> initial;

  public TransactionLocal(Supplier<T> initial) {
    this.initial = java.util.Objects.requireNonNull(initial, "initial");
  }

  /** The innermost open transaction's value on this thread (made now if it has none); empty outside one. */
  @SuppressWarnings("unchecked")
  public Optional<T> get() {
    ArrayDeque<Map<TransactionLocal<?>, Object>> open = OPEN.get();
    if (open == null || open.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of((T) open.peek().computeIfAbsent(this, k -> initial.get()));
  }

  /** A transaction begins on this thread: {@link HubDatabase#transaction}. */
  static void begin() {
    ArrayDeque<Map<TransactionLocal<?>, Object>> open = OPEN.get();
    if (open == null) {
      open = new ArrayDeque<>(2);
      OPEN.set(open);
    }
    open.push(new HashMap<>(2));
  }

  /** The innermost transaction on this thread has ended: its values go. */
  static void end() {
    ArrayDeque<Map<TransactionLocal<?>, Object>> open = OPEN.get();
    open.pop();
    if (open.isEmpty()) {
      OPEN.remove();
    }
  }
}
