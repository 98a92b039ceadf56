package io.tracetrack.model;

/** What a person may do (PRODUCT.md, People). */
public enum Role {
  ADMIN,
  BILLER,
  DISPATCHER
}
