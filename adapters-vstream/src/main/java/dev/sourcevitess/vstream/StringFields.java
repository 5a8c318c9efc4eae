package dev.sourcevitess.vstream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A protobuf message of string fields 1 to n read by hand, for the small messages a sync with
 * nothing new reads (a VGTID's ShardGtid, a saved TableCursor): the generated classes' first use
 * builds every descriptor of Vitess's protos, 30 to 50 ms. Null for anything else (a field beyond
 * n, a field of the wrong wire type, malformed bytes, text that is not UTF-8), which the generated
 * parser then reads and words.
 */
final class StringFields {
  private static final int LENGTH_DELIMITED = 2;

  private StringFields() {}

  /** Fields 1 to {@code count}, "" where absent, the last one sent where repeated as protobuf does. */
  static String[] read(byte[] bytes, int start, int length, int count) {
    String[] values = new String[count];
    Arrays.fill(values, "");
    try {
      VStreamWire.Reader in = new VStreamWire.Reader().reset(bytes, start, start + length);
      while (in.more()) {
        int tag = in.varint32();
        int field = tag >>> 3;
        if (field < 1 || field > count || (tag & 7) != LENGTH_DELIMITED) {
          return null;
        }
        int size = in.length();
        String value = new String(bytes, in.at, size, StandardCharsets.UTF_8);
        byte[] encoded = value.getBytes(StandardCharsets.UTF_8);
        if (!Arrays.equals(encoded, 0, encoded.length, bytes, in.at, in.at + size)) {
          return null;
        }
        values[field - 1] = value;
        in.at += size;
      }
      return values;
    } catch (IllegalArgumentException malformed) {
      return null;
    }
  }
}
