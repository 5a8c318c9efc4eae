package dev.sourcevitess.vstream;

import dev.sourcevitess.domain.model.RawRow;
import io.vitess.proto.Query;

/**
 * A {@code query.Row} as a {@link RawRow}: the values are copied out of protobuf once and each
 * column is an offset and a length into that copy.
 */
final class ProtoRow implements RawRow {
  private final byte[] values;
  // offset of column i at [2i], length at [2i + 1]; length -1 is NULL
  private final int[] spans;

  private ProtoRow(byte[] values, int[] spans) {
    this.values = values;
    this.spans = spans;
  }

  /** @throws IllegalArgumentException when the lengths do not fit the values */
  static ProtoRow of(Query.Row row) {
    byte[] values = row.getValues().toByteArray();
    int columns = row.getLengthsCount();
    int[] spans = new int[columns * 2];
    int offset = 0;
    for (int i = 0; i < columns; i++) {
      long length = row.getLengths(i);
      spans[2 * i] = offset;
      if (length < 0) {
        spans[2 * i + 1] = -1;
        continue;
      }
      if (length > values.length - offset) {
        throw new IllegalArgumentException("row value " + i + " of length " + length
            + " runs past the row's " + values.length + " bytes");
      }
      spans[2 * i + 1] = (int) length;
      offset += (int) length;
    }
    return new ProtoRow(values, spans);
  }

  @Override
  public int columnCount() {
    return spans.length / 2;
  }

  @Override
  public boolean isNull(int column) {
    return spans[2 * column + 1] < 0;
  }

  @Override
  public byte[] buffer(int column) {
    return values;
  }

  @Override
  public int offset(int column) {
    return spans[2 * column];
  }

  @Override
  public int length(int column) {
    return Math.max(0, spans[2 * column + 1]);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < columnCount(); i++) {
      if (i > 0) {
        s.append(", ");
      }
      s.append(isNull(i) ? "NULL"
          : new String(values, offset(i), length(i), java.nio.charset.StandardCharsets.UTF_8));
    }
    return s.append(']').toString();
  }
}
