package io.tracetrack.hub.users;

/**
 * How many open bills a user created: the "a biller with open bills keeps the role" guard asks it.
 * The bills feature owns the answer; this branch has no bill table, so {@code Main} wires a
 * placeholder that always says 0 until the bills feature replaces it with its own query.
 */
@FunctionalInterface
public interface OpenBills {
  int openBillsCreatedBy(String username);
}
