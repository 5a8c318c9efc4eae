package dev.sourcevitess.vstream;

import dev.sourcevitess.domain.model.RawRow;
import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.vitess.proto.Query;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * A {@code query.Row} as a {@link RawRow}: each column is an offset and a length into the array
 * protobuf parsed the values into, which is not copied again.
 */
final class ProtoRow implements RawRow {
  private final byte[] values;
  // offset of column i at [2i], length at [2i + 1]; length -1 is NULL
  private final int[] spans;
  /** The length of all values together. */
  private final int valueBytes;

  private ProtoRow(byte[] values, int[] spans, int valueBytes) {
    this.values = values;
    this.spans = spans;
    this.valueBytes = valueBytes;
  }

  /**
   * A row of an event the generated parser read (the wire reader takes ROW events itself).
   *
   * @throws IllegalArgumentException when the lengths do not fit the values
   */
  static ProtoRow of(Query.Row row) {
    ByteString bytes = row.getValues();
    Backing backing = Backing.of(bytes);
    long[] lengths = new long[row.getLengthsCount()];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = row.getLengths(i);
    }
    return of(backing.array, backing.offset, bytes.size(), lengths, lengths.length);
  }

  /**
   * A row whose values are {@code valuesLength} bytes of {@code bytes} from {@code valuesStart},
   * with {@code count} lengths (-1 for NULL), read from the wire by {@link VStreamWire}.
   *
   * @throws IllegalArgumentException when the lengths do not fit the values
   */
  static ProtoRow of(byte[] bytes, int valuesStart, int valuesLength, long[] lengths, int count) {
    int[] spans = new int[count * 2];
    int offset = 0;
    for (int i = 0; i < count; i++) {
      long length = lengths[i];
      spans[2 * i] = valuesStart + offset;
      if (length < 0) {
        spans[2 * i + 1] = -1;
        continue;
      }
      if (length > valuesLength - offset) {
        throw new IllegalArgumentException("row value " + i + " of length " + length
            + " runs past the row's " + valuesLength + " bytes");
      }
      spans[2 * i + 1] = (int) length;
      offset += (int) length;
    }
    return new ProtoRow(bytes, spans, offset);
  }

  /**
   * The array behind a ByteString, without copying it: protobuf hands a flat ByteString's own
   * array to {@code writeLazy}. ByteStrings are immutable and this one is only read. A ByteString
   * made of several pieces is copied into one array instead.
   */
  private static final class Backing extends ByteOutput {
    private byte[] array;
    private int offset;
    private int pieces;

    static Backing of(ByteString bytes) {
      Backing backing = new Backing();
      try {
        UnsafeByteOperations.unsafeWriteTo(bytes, backing);
      } catch (IOException cannotHappen) {
        throw new UncheckedIOException(cannotHappen);
      }
      if (backing.pieces != 1) {
        backing.array = bytes.toByteArray();
        backing.offset = 0;
      }
      return backing;
    }

    @Override
    public void write(byte value) {
      pieces = 2;
    }

    @Override
    public void write(byte[] value, int offset, int length) {
      pieces = 2;
    }

    @Override
    public void writeLazy(byte[] value, int offset, int length) {
      pieces++;
      array = value;
      this.offset = offset;
    }

    @Override
    public void write(ByteBuffer value) {
      pieces = 2;
    }

    @Override
    public void writeLazy(ByteBuffer value) {
      pieces = 2;
    }
  }

  @Override
  public int columnCount() {
    return spans.length / 2;
  }

  @Override
  public long size() {
    return valueBytes + 8L * columnCount();
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

  /** Each response is a new array that nothing writes again, so a row may outlive its call. */
  @Override
  public boolean stable() {
    return true;
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
