package dev.sourcevitess.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sourcevitess.domain.model.ValueWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Streams column values straight into the generator. Jackson writes number literals and UTF-8
 * bytes as they come, so both are checked here first: one bad byte would make the whole line
 * unreadable to Airbyte. A number that is not JSON is refused before anything is written, so the
 * record writer can null it; text that is not UTF-8 is decoded with replacement characters.
 */
final class JsonValueWriter implements ValueWriter {
  private final JsonGenerator out;
  /** MySQL's longest number literal is a DECIMAL(65,30): 67 characters. */
  private final char[] digits = new char[128];
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

  @Override
  public void writeNumber(byte[] ascii, int offset, int length) {
    if (!isJsonNumber(ascii, offset, length)) {
      throw new IllegalArgumentException("not a JSON number: "
          + new String(ascii, offset, Math.min(length, 40), StandardCharsets.ISO_8859_1));
    }
    try {
      if (length > digits.length) {
        out.writeNumber(new String(ascii, offset, length, StandardCharsets.ISO_8859_1));
      } else {
        for (int i = 0; i < length; i++) {
          digits[i] = (char) ascii[offset + i];
        }
        out.writeNumber(digits, 0, length);
      }
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

  @Override
  public void writeUtf8String(byte[] utf8, int offset, int length) {
    try {
      if (isUtf8(utf8, offset, length)) {
        out.writeUTF8String(utf8, offset, length);
      } else {
        out.writeString(new String(utf8, offset, length, StandardCharsets.UTF_8));
      }
      written = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  /** Well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
  static boolean isUtf8(byte[] b, int offset, int length) {
    int i = offset;
    int end = offset + length;
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
