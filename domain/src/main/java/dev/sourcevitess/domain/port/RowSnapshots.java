package dev.sourcevitess.domain.port;

import dev.sourcevitess.domain.model.LastKey;
import dev.sourcevitess.domain.model.RawRow;
import dev.sourcevitess.domain.model.Table;

/** Whole-table reads over plain SQL (STANDARD replication). */
public interface RowSnapshots {
  /**
   * Hands every row of {@code table} to {@code handler}, in primary-key order when the table has
   * a key, streaming: memory does not grow with the table.
   *
   * @param after the key to resume after, or null to read from the start
   */
  void scan(Table table, LastKey after, RowHandler handler);

  @FunctionalInterface
  interface RowHandler {
    /** Takes one row, a view of {@code table}'s columns in order that is valid during the call only. */
    void onRow(RawRow row);
  }
}
