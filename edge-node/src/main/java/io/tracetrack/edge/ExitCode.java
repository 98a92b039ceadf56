package io.tracetrack.edge;

/** Process exit codes, from BSD sysexits so shell scripts and systemd can tell failures apart. */
public enum ExitCode {
  OK(0),
  /** Bad flags, environment values or command line. */
  USAGE(64),
  /** The database file is not a usable TraceTrack SQLite database. It is left untouched. */
  DATA_CORRUPT(65),
  /** The hub cannot be reached (enrol): nothing was changed; try again when it answers. */
  UNAVAILABLE(69),
  /** Something that should not happen; see the log. */
  SOFTWARE(70),
  /** The data folder cannot be created or written. */
  CANT_CREATE(73),
  /** Another process holds the data folder or the database; try again when it is gone. */
  LOCKED(75),
  /**
   * The user is not allowed here (unknown once the hub has sent this dock its users); or the hub
   * refused the enrolment code (wrong, used or expired).
   */
  NO_PERMISSION(77),
  /** The data folder does not fit what was asked: enrolling it as another dock while it holds this dock's scans. */
  CONFIG(78);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
