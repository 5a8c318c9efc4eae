package dev.sourcevitess.protocol;

import dev.sourcevitess.domain.model.RawRow;
import java.nio.charset.StandardCharsets;

/**
 * A row whose values share one buffer, each after a few junk bytes, so a writer that ignores
 * offsets or lengths shows up as wrong output. It never changes, so it is {@link #stable()}: the
 * tests that write it go through the read output's writer thread.
 */
final class FakeRow implements RawRow {
  private static final int JUNK = 3;

  private final byte[] buffer;
  private final int[] offsets;
  private final int[] lengths;

  private FakeRow(byte[][] values) {
    int size = 0;
    for (byte[] v : values) {
      size += JUNK + (v == null ? 0 : v.length);
    }
    buffer = new byte[size + JUNK];
    java.util.Arrays.fill(buffer, (byte) '9');
    offsets = new int[values.length];
    lengths = new int[values.length];
    int at = 0;
    for (int i = 0; i < values.length; i++) {
      at += JUNK;
      offsets[i] = at;
      if (values[i] == null) {
        lengths[i] = -1;
      } else {
        System.arraycopy(values[i], 0, buffer, at, values[i].length);
        lengths[i] = values[i].length;
        at += values[i].length;
      }
    }
  }

  /** Values as MySQL's text form; null is NULL; a byte[] is taken as is. */
  static FakeRow of(Object... values) {
    byte[][] bytes = new byte[values.length][];
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      bytes[i] = v == null ? null : v instanceof byte[] b ? b : v.toString().getBytes(StandardCharsets.UTF_8);
    }
    return new FakeRow(bytes);
  }

  @Override
  public int columnCount() {
    return offsets.length;
  }

  @Override
  public boolean isNull(int column) {
    return lengths[column] < 0;
  }

  @Override
  public byte[] buffer(int column) {
    return buffer;
  }

  @Override
  public int offset(int column) {
    return offsets[column];
  }

  @Override
  public int length(int column) {
    return Math.max(lengths[column], 0);
  }

  @Override
  public boolean stable() {
    return true;
  }
}
