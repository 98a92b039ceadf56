package io.tracetrack.model;

import java.util.Optional;

/**
 * Commands printed as barcodes so gloved hands never need the keyboard. Their texts use the code
 * alphabet (so they survive normalisation) and a {@code CMD-} prefix no bag grammar produces.
 */
public enum StationCommand {
  /** Remove the most recent link made at this station within the undo window. */
  UNDO("CMD-UNDO"),
  /** Finish the current parent; short of its count, a second FINISH confirms. */
  FINISH("CMD-FINISH"),
  /** Leave the current parent (back to parent mode) and drop a pending finish. */
  CANCEL("CMD-CANCEL");

  private final String barcode;

  StationCommand(String barcode) {
    this.barcode = barcode;
  }

  /** The exact text the printed barcode carries. */
  public String barcode() {
    return barcode;
  }

  /** The command a normalised code stands for, if it is one. */
  public static Optional<StationCommand> fromCode(String normalizedCode) {
    for (StationCommand command : values()) {
      if (command.barcode.equals(normalizedCode)) {
        return Optional.of(command);
      }
    }
    return Optional.empty();
  }
}
