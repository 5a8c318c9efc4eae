package dev.sourcevitess.domain.model;

/**
 * One row's values in MySQL's text form (binary types as their bytes), column by column, in the
 * order of the table's columns. A view that adapters may reuse: read it inside the call that hands
 * it over and copy what must outlive that call.
 */
public interface RawRow {
  int columnCount();

  boolean isNull(int column);

  /** The array holding the column's bytes, from {@link #offset} for {@link #length} bytes. */
  byte[] buffer(int column);

  int offset(int column);

  int length(int column);

  /**
   * True when the bytes never change after the call that hands the row over, so the row may be
   * kept as it is instead of copied. A view that an adapter reuses answers false.
   */
  default boolean stable() {
    return false;
  }

  /**
   * The bytes a row holds, to bound buffers by size: its values plus 8 per column. Rows that know
   * their values' length answer without adding up the columns.
   */
  default long size() {
    long size = 8L * columnCount();
    for (int i = 0; i < columnCount(); i++) {
      size += isNull(i) ? 0 : length(i);
    }
    return size;
  }
}
