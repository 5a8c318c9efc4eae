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
}
