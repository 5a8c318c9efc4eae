package dev.sourcevitess.domain.model;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A table column and the rules that turn its MySQL text value into its JSON value: dates as
 * {@code 2024-02-29}, datetimes with a {@code T}, timestamps in UTC with {@code Z}, zero dates as
 * null (or the epoch when the column is NOT NULL), decimals exact, binary as base64.
 */
public record Column(String name, ColumnType type, boolean nullable) {
  private static final byte[] EPOCH_DATE = ascii("1970-01-01");
  private static final byte[] EPOCH_DATETIME = ascii("1970-01-01T00:00:00");
  private static final byte[] EPOCH_TIMESTAMP = ascii("1970-01-01T00:00:00Z");

  public Column {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a column needs a name");
    }
    Objects.requireNonNull(type, "type");
  }

  public JsonType jsonType() {
    return type.jsonType();
  }

  /** Writes the value of {@code row}'s column {@code index}. */
  public void write(RawRow row, int index, ValueWriter out) {
    if (row.isNull(index)) {
      out.writeNull();
      return;
    }
    byte[] b = row.buffer(index);
    int off = row.offset(index);
    int len = row.length(index);
    switch (type.kind()) {
      case BOOLEAN -> out.writeBoolean(!isZeroNumber(b, off, len));
      case BIT_BOOLEAN -> out.writeBoolean(anyNonZero(b, off, len));
      case INTEGER, DECIMAL, FLOAT -> writeNumber(b, off, len, out);
      case DATE -> writeTemporal(b, off, len, EPOCH_DATE, false, out);
      case DATETIME -> writeTemporal(b, off, len, EPOCH_DATETIME, false, out);
      case TIMESTAMP -> writeTemporal(b, off, len, EPOCH_TIMESTAMP, true, out);
      case TIME -> writeTime(b, off, len, out);
      case TEXT -> writeText(b, off, len, out);
      case JSON -> out.writeUtf8String(b, off, len);
      case ENUM, SET -> writeMembers(b, off, len, out);
      case BINARY -> out.writeBase64(b, off, len);
    }
  }

  private static boolean isZeroNumber(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      byte c = b[i];
      if (c != '0' && c != '-' && c != '.' && c != '+') {
        return false;
      }
    }
    return true;
  }

  private static boolean anyNonZero(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (b[i] != 0 && b[i] != '0') {
        return true;
      }
    }
    return false;
  }

  /**
   * MySQL prints numbers JSON can read, except for zero-filled columns ({@code 00042}) and the odd
   * leading dot; those are rewritten, the rest goes out byte for byte, never through a double.
   */
  private static void writeNumber(byte[] b, int off, int len, ValueWriter out) {
    int sign = len > 0 && (b[off] == '-' || b[off] == '+') ? 1 : 0;
    int digits = off + sign;
    int end = off + len;
    int firstSignificant = digits;
    while (firstSignificant < end - 1 && b[firstSignificant] == '0' && isDigit(b[firstSignificant + 1])) {
      firstSignificant++;
    }
    boolean leadingDot = firstSignificant < end && b[firstSignificant] == '.';
    boolean plus = sign == 1 && b[off] == '+';
    if (firstSignificant == digits && !leadingDot && !plus) {
      out.writeNumber(b, off, len);
      return;
    }
    StringBuilder s = new StringBuilder(len + 1);
    if (sign == 1 && !plus) {
      s.append('-');
    }
    if (leadingDot) {
      s.append('0');
    }
    s.append(new String(b, firstSignificant, end - firstSignificant, StandardCharsets.US_ASCII));
    byte[] fixed = ascii(s.toString());
    out.writeNumber(fixed, 0, fixed.length);
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  /**
   * Dates and datetimes arrive as {@code YYYY-MM-DD[ hh:mm:ss[.ffffff]]}. A zero or partly zero
   * date has no calendar value: null, or the epoch where the column may not be null.
   */
  private void writeTemporal(byte[] b, int off, int len, byte[] epoch, boolean utc, ValueWriter out) {
    if (isZeroDate(b, off, len)) {
      if (nullable) {
        out.writeNull();
      } else {
        out.writeUtf8String(epoch, 0, epoch.length);
      }
      return;
    }
    if (type.kind() == ColumnType.Kind.DATE) {
      out.writeUtf8String(b, off, len);
      return;
    }
    out.writeDateTime(b, off, len, utc);
  }

  /**
   * A TIME is Airbyte's time of day, {@code hh:mm:ss[.f]}. MySQL's TIME also holds durations
   * ({@code -01:00:00}, {@code 838:59:59}), which are no time of day: refused, so the record writer
   * nulls the value and lists it in the record's meta, as Airbyte's own MySQL source does.
   */
  private static void writeTime(byte[] b, int off, int len, ValueWriter out) {
    boolean timeOfDay = len >= 8 && twoDigits(b, off) < 24 && b[off + 2] == ':' && twoDigits(b, off + 3) < 60
        && b[off + 5] == ':' && twoDigits(b, off + 6) < 60 && (len == 8 || b[off + 8] == '.' && len > 9
        && digitsOnly(b, off + 9, off + len));
    if (!timeOfDay) {
      throw new IllegalArgumentException("TIME value '" + new String(b, off, Math.min(len, 40), StandardCharsets.UTF_8)
          + "' is not a time of day (00:00:00 to 23:59:59)");
    }
    out.writeUtf8String(b, off, len);
  }

  /** The two decimal digits at {@code at} as a number, or 99 when they are not digits. */
  private static int twoDigits(byte[] b, int at) {
    int tens = b[at] - '0';
    int ones = b[at + 1] - '0';
    return tens < 0 || tens > 9 || ones < 0 || ones > 9 ? 99 : tens * 10 + ones;
  }

  private static boolean digitsOnly(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return false;
      }
    }
    return true;
  }

  /** Year, month or day zero: {@code 0000-00-00}, {@code 2024-00-10}, {@code 2024-02-00}. */
  private static boolean isZeroDate(byte[] b, int off, int len) {
    if (len < 10) {
      return true;
    }
    boolean yearZero = b[off] == '0' && b[off + 1] == '0' && b[off + 2] == '0' && b[off + 3] == '0';
    boolean monthZero = b[off + 5] == '0' && b[off + 6] == '0';
    boolean dayZero = b[off + 8] == '0' && b[off + 9] == '0';
    return yearZero || monthZero || dayZero;
  }

  /** Text in the column's character set; UTF-8, nearly all text, goes out as it is. */
  private void writeText(byte[] b, int off, int len, ValueWriter out) {
    Charset charset = type.charset();
    if (charset == null) {
      out.writeUtf8String(b, off, len);
    } else {
      out.writeString(new String(b, off, len, charset));
    }
  }

  /** ENUM and SET values are their strings; from the binlog they may come as index or bitmask. */
  private void writeMembers(byte[] b, int off, int len, ValueWriter out) {
    if (!type.membersByIndex()) {
      writeText(b, off, len, out);
      return;
    }
    long number;
    try {
      number = Long.parseUnsignedLong(new String(b, off, len, StandardCharsets.US_ASCII));
    } catch (NumberFormatException alreadyText) {
      // some servers send the member's text even when the field says indexes: keep it
      writeText(b, off, len, out);
      return;
    }
    var members = type.members();
    if (type.kind() == ColumnType.Kind.ENUM) {
      // index 0 is MySQL's empty "error" member
      out.writeString(number >= 1 && number <= members.size() ? members.get((int) number - 1) : "");
      return;
    }
    StringBuilder joined = new StringBuilder();
    for (int bit = 0; bit < members.size() && bit < 64; bit++) {
      if ((number & (1L << bit)) != 0) {
        if (joined.length() > 0) {
          joined.append(',');
        }
        joined.append(members.get(bit));
      }
    }
    out.writeString(joined.toString());
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
