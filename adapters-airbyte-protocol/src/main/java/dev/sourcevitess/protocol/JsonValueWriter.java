package dev.sourcevitess.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sourcevitess.domain.model.ValueWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Streams column values straight into the generator. Jackson writes number literals and UTF-8
 * bytes as they come, so both are checked here first: one bad byte would make the whole line
 * unreadable to Airbyte. A number that is not JSON is refused before anything is written, so the
 * record writer can null it; text that is not UTF-8 is decoded with replacement characters.
 */
final class JsonValueWriter implements ValueWriter {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long ONES = 0x0101010101010101L;

  private final JsonGenerator out;
  private final RawBytes raw = new RawBytes();
  private byte[] dateTime = new byte[32];
  /** Whether the current column wrote its value, so a failed one is nulled exactly once. */
  private boolean written;

  JsonValueWriter(JsonGenerator out) {
    this.out = out;
  }

  void startValue() {
    written = false;
  }

  boolean written() {
    return written;
  }

  @Override
  public void writeNull() {
    try {
      out.writeNull();
      written = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void writeBoolean(boolean value) {
    try {
      out.writeBoolean(value);
      written = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void writeNumber(long value) {
    try {
      out.writeNumber(value);
      written = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The literal goes out as it is, straight from the row's bytes: no copy, no conversion. */
  @Override
  public void writeNumber(byte[] ascii, int offset, int length) {
    if (!isJsonNumber(ascii, offset, length)) {
      throw new IllegalArgumentException("not a JSON number: "
          + new String(ascii, offset, Math.min(length, 40), StandardCharsets.ISO_8859_1));
    }
    try {
      out.writeRawValue(raw.of(ascii, offset, length));
      written = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void writeString(String value) {
    try {
      out.writeString(value);
      written = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Most text needs no escaping at all: printable ASCII without quotes or backslashes, found eight
   * bytes at a time, goes out as it is. Anything else is checked to be UTF-8 and escaped by Jackson.
   */
  @Override
  public void writeUtf8String(byte[] utf8, int offset, int length) {
    try {
      int plain = plainAscii(utf8, offset, length);
      if (plain == length) {
        out.writeRawUTF8String(utf8, offset, length);
      } else if (isUtf8(utf8, offset + plain, length - plain)) {
        out.writeUTF8String(utf8, offset, length);
      } else {
        out.writeString(new String(utf8, offset, length, StandardCharsets.UTF_8));
      }
      written = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rewritten in a buffer of this writer's own: no array per value. */
  @Override
  public void writeDateTime(byte[] text, int offset, int length, boolean utc) {
    if (dateTime.length <= length) {
      dateTime = new byte[length + 1];
    }
    writeUtf8String(dateTime, 0, ValueWriter.isoDateTime(text, offset, length, utc, dateTime));
  }

  @Override
  public void writeBase64(byte[] bytes, int offset, int length) {
    try {
      out.writeBinary(bytes, offset, length);
      written = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** JSON's number grammar: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
  static boolean isJsonNumber(byte[] b, int offset, int length) {
    int i = offset;
    int end = offset + length;
    if (i < end && b[i] == '-') {
      i++;
    }
    if (i >= end) {
      return false;
    }
    if (b[i] == '0') {
      i++;
    } else if (b[i] >= '1' && b[i] <= '9') {
      i = skipDigits(b, i, end);
    } else {
      return false;
    }
    if (i < end && b[i] == '.') {
      int start = ++i;
      i = skipDigits(b, i, end);
      if (i == start) {
        return false;
      }
    }
    if (i < end && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      if (i < end && (b[i] == '+' || b[i] == '-')) {
        i++;
      }
      int start = i;
      i = skipDigits(b, i, end);
      if (i == start) {
        return false;
      }
    }
    return i == end;
  }

  private static int skipDigits(byte[] b, int from, int end) {
    int i = from;
    while (i < end && b[i] >= '0' && b[i] <= '9') {
      i++;
    }
    return i;
  }

  /**
   * How many bytes from {@code offset} JSON takes as they are: ASCII from 0x20, except {@code "}
   * and {@code \\}. Eight bytes at a time (bit tricks that flag a byte with its high bit set, below
   * 0x20, or equal to 0x22 or 0x5C), then byte by byte from the first word that has one.
   */
  static int plainAscii(byte[] b, int offset, int length) {
    int i = offset;
    int end = offset + length;
    while (i + 8 <= end && isPlainAscii((long) LONGS.get(b, i))) {
      i += 8;
    }
    while (i < end) {
      byte c = b[i];
      // c < 0x20 takes the non-ASCII bytes too: they are negative
      if (c < 0x20 || c == '"' || c == '\\') {
        break;
      }
      i++;
    }
    return i - offset;
  }

  private static boolean isPlainAscii(long word) {
    long nonAscii = word & HIGH_BITS;
    long control = (word - 0x2020202020202020L) & ~word & HIGH_BITS;
    long quotes = word ^ 0x2222222222222222L;
    long quote = (quotes - ONES) & ~quotes & HIGH_BITS;
    long backslashes = word ^ 0x5C5C5C5C5C5C5C5CL;
    long backslash = (backslashes - ONES) & ~backslashes & HIGH_BITS;
    return (nonAscii | control | quote | backslash) == 0;
  }

  /** Well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
  static boolean isUtf8(byte[] b, int offset, int length) {
    int i = offset;
    int end = offset + length;
    // ASCII eight bytes at a time first: most text is
    while (i + 8 <= end && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
      i += 8;
    }
    while (i < end) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        i++;
        continue;
      }
      int need;
      int min;
      if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        min = 0x80;
      } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        min = 0x800;
      } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        min = 0x10000;
      } else {
        return false;
      }
      if (i + need >= end) {
        return false;
      }
      int code = c & (0x3F >> need);
      for (int k = 1; k <= need; k++) {
        int next = b[i + k] & 0xFF;
        if ((next & 0xC0) != 0x80) {
          return false;
        }
        code = (code << 6) | (next & 0x3F);
      }
      if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
        return false;
      }
      i += need + 1;
    }
    return true;
  }
}
