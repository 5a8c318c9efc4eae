package dev.sourcevitess.domain.fake;

import dev.sourcevitess.domain.model.RawRow;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A row of MySQL text values (null for NULL), as a {@link RawRow}: one array per value, or all
 * packed in one buffer between filler bytes, as {@code query.Row} carries them, so a reader that
 * ignores offsets or lengths reads the filler.
 */
public final class TextRow implements RawRow {
  private static final byte[] FILLER = "9-.T:Z\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);

  private final byte[][] buffers;
  private final int[] offsets;
  private final int[] lengths;

  private TextRow(byte[][] buffers, int[] offsets, int[] lengths) {
    this.buffers = buffers;
    this.offsets = offsets;
    this.lengths = lengths;
  }

  public static TextRow of(String... values) {
    return ofBytes(utf8(values));
  }

  /** One array per value. */
  public static TextRow ofBytes(byte[]... values) {
    int[] lengths = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      lengths[i] = values[i] == null ? -1 : values[i].length;
    }
    return new TextRow(values.clone(), new int[values.length], lengths);
  }

  /** All values in one buffer, each between filler bytes. */
  public static TextRow packed(String... values) {
    return packedBytes(utf8(values));
  }

  public static TextRow packedBytes(byte[]... values) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    int[] offsets = new int[values.length];
    int[] lengths = new int[values.length];
    all.writeBytes(FILLER);
    for (int i = 0; i < values.length; i++) {
      offsets[i] = all.size();
      lengths[i] = values[i] == null ? -1 : values[i].length;
      if (values[i] != null) {
        all.writeBytes(values[i]);
      }
      all.writeBytes(FILLER);
    }
    byte[][] buffers = new byte[values.length][];
    Arrays.fill(buffers, all.toByteArray());
    return new TextRow(buffers, offsets, lengths);
  }

  private static byte[][] utf8(String... values) {
    byte[][] bytes = new byte[values.length][];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8);
    }
    return bytes;
  }

  public String text(int column) {
    return isNull(column) ? null : new String(buffers[column], offsets[column], lengths[column], StandardCharsets.UTF_8);
  }

  public String[] texts() {
    String[] out = new String[lengths.length];
    for (int i = 0; i < lengths.length; i++) {
      out[i] = text(i);
    }
    return out;
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
    return buffers[column];
  }

  @Override
  public int offset(int column) {
    return offsets[column];
  }

  @Override
  public int length(int column) {
    return lengths[column];
  }

  @Override
  public String toString() {
    return Arrays.toString(texts());
  }
}
