package io.tracetrack.model;

/** A code is one bag forever, and a bag has one role forever. */
public enum BagRole {
  PARENT,
  CHILD
}
