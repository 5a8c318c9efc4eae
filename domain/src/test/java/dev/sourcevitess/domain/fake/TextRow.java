package dev.sourcevitess.domain.fake;

import dev.sourcevitess.domain.model.RawRow;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A row of MySQL text values (null for NULL), as a {@link RawRow}. */
public final class TextRow implements RawRow {
  private final byte[][] values;

  public TextRow(byte[][] values) {
    this.values = values.clone();
  }

  public static TextRow of(String... values) {
    byte[][] bytes = new byte[values.length][];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8);
    }
    return new TextRow(bytes);
  }

  public String text(int column) {
    return values[column] == null ? null : new String(values[column], StandardCharsets.UTF_8);
  }

  public String[] texts() {
    String[] out = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = text(i);
    }
    return out;
  }

  @Override
  public int columnCount() {
    return values.length;
  }

  @Override
  public boolean isNull(int column) {
    return values[column] == null;
  }

  @Override
  public byte[] buffer(int column) {
    return values[column];
  }

  @Override
  public int offset(int column) {
    return 0;
  }

  @Override
  public int length(int column) {
    return values[column].length;
  }

  @Override
  public String toString() {
    return Arrays.toString(texts());
  }
}
