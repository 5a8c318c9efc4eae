package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.StreamId;
import java.util.List;

/** What the log says when a stream's columns changed under its configured catalog. */
final class ColumnChanges {
  private static final String REFRESH = "Refresh the source schema in Airbyte so that the catalog matches the"
      + " table (and select a renamed column under its new name).";

  private ColumnChanges() {}

  /** Configured columns the table no longer has, as the schema says at the start of a sync. */
  static String missing(StreamId stream, List<String> columns) {
    return "Table " + stream + " no longer has the configured column(s) " + String.join(", ", columns)
        + " (dropped or renamed): its records go on without them. " + REFRESH;
  }

  /**
   * The tablets refused a rule naming {@code column} for rows written while the table lacked it
   * (before it was added, or after it was dropped or renamed).
   */
  static String everyColumn(StreamId stream, String column) {
    return "Some changes of " + stream + " were written while the table had no column " + column + " (before it"
        + " was added, or after it was dropped or renamed), and VTGate cannot stream a rule naming it for them."
        + " This sync reads " + stream + " with every column (those the catalog leaves out are read but not"
        + " written); its records carry " + column + " where their rows have it. If " + column + " was dropped or"
        + " renamed: " + REFRESH;
  }
}
