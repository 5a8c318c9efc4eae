package dev.sourcevitess.domain.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a saved key value is a value its column can hold, in MySQL's text form (bytes for
 * binary columns). A key that is not, {@code "abc"} for an INT or {@code 1e400}, would make
 * {@code key > ?} fail or match nothing, and a copy would end as if the table had been read.
 */
final class KeyTextForm {
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,20}");
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d*)(?:\\.(\\d*))?");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern DATETIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?");
  private static final Pattern TIME = Pattern.compile("-?\\d{1,3}:\\d{2}:\\d{2}(\\.\\d{1,6})?");
  private static final Pattern SIZE = Pattern.compile("\\((\\d+)(?:,(\\d+))?\\)");

  private KeyTextForm() {}

  /** True when {@code value} (non-null) is a value of {@code type}. */
  static boolean fits(ColumnType type, byte[] value) {
    String text = new String(value, StandardCharsets.UTF_8).trim();
    return switch (type.kind()) {
      case BOOLEAN, INTEGER -> INTEGER.matcher(text).matches() && inIntegerRange(type, new BigInteger(text));
      case DECIMAL -> fitsDecimal(type, text);
      case FLOAT -> fitsApproximate(text);
      case DATE -> DATE.matcher(text).matches();
      case DATETIME, TIMESTAMP -> DATETIME.matcher(text).matches();
      case TIME -> TIME.matcher(text).matches();
      // members by name, or by index and bitmask as binlog rows carry them
      case ENUM -> type.members().stream().anyMatch(text::equalsIgnoreCase)
          || (INTEGER.matcher(text).matches() && inRange(new BigInteger(text), type.members().size()));
      case SET -> text.isEmpty() || Arrays.stream(text.split(",", -1))
          .allMatch(m -> type.members().stream().anyMatch(m::equalsIgnoreCase))
          || (INTEGER.matcher(text).matches()
              && inRange(new BigInteger(text), (1L << type.members().size()) - 1));
      // any bytes or text compare in the column's own order
      case BIT_BOOLEAN, BINARY, TEXT, JSON -> true;
    };
  }

  private static boolean inRange(BigInteger value, long max) {
    return value.signum() >= 0 && value.compareTo(BigInteger.valueOf(max)) <= 0;
  }

  private static boolean inIntegerRange(ColumnType type, BigInteger value) {
    String declared = type.mysqlType().toLowerCase(Locale.ROOT);
    boolean unsigned = declared.contains("unsigned");
    int bits;
    if (declared.startsWith("tinyint") || declared.startsWith("bool")) {
      bits = 8;
    } else if (declared.startsWith("smallint")) {
      bits = 16;
    } else if (declared.startsWith("mediumint")) {
      bits = 24;
    } else if (declared.startsWith("int") || declared.startsWith("integer")) {
      bits = 32;
    } else if (declared.startsWith("year")) {
      return inRange(value, 2155);
    } else {
      bits = 64;
    }
    BigInteger min = unsigned ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
    BigInteger max = unsigned ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
        : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
    return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
  }

  /** decimal(p,s) holds p - s digits before the point and s after; MySQL's default is (10,0). */
  private static boolean fitsDecimal(ColumnType type, String text) {
    Matcher parts = DECIMAL.matcher(text);
    if (!parts.matches() || (parts.group(1).isEmpty() && (parts.group(2) == null || parts.group(2).isEmpty()))) {
      return false;
    }
    Matcher size = SIZE.matcher(type.mysqlType());
    int precision = 10;
    int scale = 0;
    if (size.find()) {
      precision = Integer.parseInt(size.group(1));
      scale = size.group(2) == null ? 0 : Integer.parseInt(size.group(2));
    }
    String whole = parts.group(1).replaceFirst("^0+", "");
    String fraction = parts.group(2) == null ? "" : parts.group(2).replaceFirst("0+$", "");
    return whole.length() <= precision - scale && fraction.length() <= scale;
  }

  /** A finite number: {@code 1e400} is no FLOAT or DOUBLE. */
  private static boolean fitsApproximate(String text) {
    try {
      return Double.isFinite(new BigDecimal(text).doubleValue());
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
