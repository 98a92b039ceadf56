package io.tracetrack.hub.io;

import java.util.Locale;
import java.util.Optional;

/** The file formats every export comes in, named by the route's extension. */
public enum ExportFormat {
  CSV("csv", "text/csv; charset=utf-8"),
  XLSX("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

  private final String extension;
  private final String contentType;

  ExportFormat(String extension, String contentType) {
    this.extension = extension;
    this.contentType = contentType;
  }

  public String extension() {
    return extension;
  }

  public String contentType() {
    return contentType;
  }

  /** The format a file name ends in ({@code day.csv}), if any. */
  public static Optional<ExportFormat> ofFilename(String name) {
    int dot = name.lastIndexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
    for (ExportFormat f : values()) {
      if (f.extension.equals(ext)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
