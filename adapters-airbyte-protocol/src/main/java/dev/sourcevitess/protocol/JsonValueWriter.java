package dev.sourcevitess.protocol;

import com.fasterxml.jackson.core.io.NumberOutput;
import dev.sourcevitess.domain.model.ValueWriter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Writes a record's JSON straight into stdout's buffer: field names encoded once per layout,
 * numbers and plain text copied from the row's bytes, and no generator in between (its checks and
 * separators were a third of a record's cost). Nothing here can leave invalid JSON: a number that
 * is not JSON is refused before anything is written, so the record writer can null it, and text
 * that is not UTF-8 is decoded with replacement characters. Escaping is JSON's minimum, as
 * Jackson writes it: quote, backslash and control characters; the rest of UTF-8 as it is.
 */
final class JsonValueWriter implements ValueWriter {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long ONES = 0x0101010101010101L;
  private static final byte[] NULL = ascii("null");
  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");
  private static final byte[] HEX = ascii("0123456789ABCDEF");

  private final OutputBuffer out;
  private byte[] dateTime = new byte[32];

  JsonValueWriter(OutputBuffer out) {
    this.out = out;
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Where the buffer ends now, to {@link #rewind} to. */
  int mark() {
    return out.length;
  }

  /** Takes back everything written since {@code mark}. */
  void rewind(int mark) {
    out.length = mark;
  }

  /** Bytes already in their JSON form. */
  void raw(byte[] json) {
    out.write(json, 0, json.length);
  }

  void raw(char c) {
    out.write(c);
  }

  /** A field name already encoded as {@code "name":}, after a comma unless it opens its object. */
  void field(byte[] quotedNameAndColon) {
    out.ensure(quotedNameAndColon.length + 1);
    byte[] b = out.bytes;
    if (b[out.length - 1] != '{') {
      b[out.length++] = ',';
    }
    System.arraycopy(quotedNameAndColon, 0, b, out.length, quotedNameAndColon.length);
    out.length += quotedNameAndColon.length;
  }

  /** ASCII that needs no escaping, in quotes. */
  void quotedAscii(byte[] ascii, int offset, int length) {
    out.ensure(length + 2);
    byte[] b = out.bytes;
    int at = out.length;
    b[at++] = '"';
    System.arraycopy(ascii, offset, b, at, length);
    at += length;
    b[at++] = '"';
    out.length = at;
  }

  @Override
  public void writeNull() {
    raw(NULL);
  }

  @Override
  public void writeBoolean(boolean value) {
    raw(value ? TRUE : FALSE);
  }

  /** Jackson's digits: three at a time from a table, which C1's long division is not. */
  @Override
  public void writeNumber(long value) {
    out.ensure(20);
    out.length = NumberOutput.outputLong(value, out.bytes, out.length);
  }

  /** The literal goes out as it is, straight from the row's bytes. */
  @Override
  public void writeNumber(byte[] ascii, int offset, int length) {
    if (!isJsonNumber(ascii, offset, length)) {
      throw new IllegalArgumentException("not a JSON number: "
          + new String(ascii, offset, Math.min(length, 40), StandardCharsets.ISO_8859_1));
    }
    out.write(ascii, offset, length);
  }

  @Override
  public void writeString(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    escaped(utf8, 0, utf8.length);
  }

  /**
   * Most text needs no escaping at all: printable ASCII without quotes or backslashes, found eight
   * bytes at a time, goes out as it is. Anything else is checked to be UTF-8, then escaped.
   */
  @Override
  public void writeUtf8String(byte[] utf8, int offset, int length) {
    int plain = plainAscii(utf8, offset, length);
    if (plain == length) {
      quotedAscii(utf8, offset, length);
    } else if (isUtf8(utf8, offset + plain, length - plain)) {
      escaped(utf8, offset, length);
    } else {
      writeString(new String(utf8, offset, length, StandardCharsets.UTF_8));
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
    byte[] encoded = Base64.getEncoder().encode(Arrays.copyOfRange(bytes, offset, offset + length));
    quotedAscii(encoded, 0, encoded.length);
  }

  /** Well-formed UTF-8 in quotes, escaped where JSON requires. */
  private void escaped(byte[] utf8, int offset, int length) {
    // the exact size first: a large text must not reserve six bytes for each of its own
    long size = length + 2L;
    for (int i = offset; i < offset + length; i++) {
      byte c = utf8[i];
      if (c >= 0 && (c < 0x20 || c == '"' || c == '\\')) {
        size += c == '"' || c == '\\' || c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r' ? 1 : 5;
      }
    }
    out.ensure(Math.toIntExact(size));
    byte[] b = out.bytes;
    int at = out.length;
    b[at++] = '"';
    for (int i = offset; i < offset + length; i++) {
      byte c = utf8[i];
      if (c < 0 || c >= 0x20 && c != '"' && c != '\\') {
        // a byte of a multi-byte character (negative), or printable ASCII
        b[at++] = c;
        continue;
      }
      b[at++] = '\\';
      switch (c) {
        case '"', '\\' -> b[at++] = c;
        case '\b' -> b[at++] = 'b';
        case '\t' -> b[at++] = 't';
        case '\n' -> b[at++] = 'n';
        case '\f' -> b[at++] = 'f';
        case '\r' -> b[at++] = 'r';
        default -> {
          b[at++] = 'u';
          b[at++] = '0';
          b[at++] = '0';
          b[at++] = HEX[c >> 4];
          b[at++] = HEX[c & 0xF];
        }
      }
    }
    b[at++] = '"';
    out.length = at;
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
