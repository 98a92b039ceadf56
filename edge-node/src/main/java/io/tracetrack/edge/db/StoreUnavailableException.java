package io.tracetrack.edge.db;

/**
 * The store could not take a write: another process held the lock past the busy timeout, the disk
 * is full or failing, or the file went bad. The transaction was rolled back; nothing was recorded,
 * so the caller must say so rather than show green.
 */
public final class StoreUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
