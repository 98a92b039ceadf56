package io.tracetrack.hub.bag;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A bag as the API shows it: its facts, its children or parent, and its history, newest first, one
 * page of it: {@code historyBefore} is the cursor of the next (older) page, null when there is none.
 */
public record BagView(
    String code,
    String role,
    Integer expectedCount,
    int limit,
    int childCount,
    boolean complete,
    String parent,
    List<String> children,
    String finishedBy,
    OffsetDateTime finishedAt,
    String bill,
    String area,
    String dock,
    String createdBy,
    OffsetDateTime createdAt,
    List<Event> history,
    Long historyBefore) {

  public BagView {
    children = List.copyOf(children);
    history = List.copyOf(history);
  }

  /** One line of a bag's history; {@code id} orders the lines and is what a history cursor names. */
  public record Event(OffsetDateTime at, String kind, String bag, String parent, String actor, String dock, String source,
      long id) {}
}
