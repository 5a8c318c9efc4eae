package dev.sourcevitess.domain.model;

/** A row copied out of a {@link RawRow} view, in one array, so it can outlive the call. */
public final class CopiedRow implements RawRow {
  private final byte[] bytes;
  private final int[] offsets;
  private final int[] lengths;

  private CopiedRow(byte[] bytes, int[] offsets, int[] lengths) {
    this.bytes = bytes;
    this.offsets = offsets;
    this.lengths = lengths;
  }

  public static CopiedRow of(RawRow row) {
    int columns = row.columnCount();
    int total = 0;
    for (int i = 0; i < columns; i++) {
      total += row.isNull(i) ? 0 : row.length(i);
    }
    byte[] bytes = new byte[total];
    int[] offsets = new int[columns];
    int[] lengths = new int[columns];
    int at = 0;
    for (int i = 0; i < columns; i++) {
      offsets[i] = at;
      if (row.isNull(i)) {
        lengths[i] = -1;
      } else {
        lengths[i] = row.length(i);
        System.arraycopy(row.buffer(i), row.offset(i), bytes, at, lengths[i]);
        at += lengths[i];
      }
    }
    return new CopiedRow(bytes, offsets, lengths);
  }

  @Override
  public boolean stable() {
    return true;
  }

  @Override
  public long size() {
    return bytes.length + 8L * lengths.length;
  }

  @Override
  public int columnCount() {
    return lengths.length;
  }

  @Override
  public boolean isNull(int column) {
    return lengths[column] < 0;
  }

  @Override
  public byte[] buffer(int column) {
    return bytes;
  }

  @Override
  public int offset(int column) {
    return offsets[column];
  }

  @Override
  public int length(int column) {
    return lengths[column];
  }
}
