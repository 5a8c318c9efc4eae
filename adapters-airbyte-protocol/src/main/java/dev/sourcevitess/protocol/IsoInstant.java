package dev.sourcevitess.protocol;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Writes an instant as ISO-8601 UTC ({@code 2024-02-29T13:45:07.123Z}) into a char array, as
 * {@link DateTimeFormatter#ISO_INSTANT} would, without the objects that costs: every CDC record
 * carries one or two of these.
 */
final class IsoInstant {
  /** Enough for {@code 9999-12-31T23:59:59.123456789Z} and for the fallback's wider years. */
  static final int MAX_LENGTH = 40;
  /** {@code 2024-02-29T13:45:07}: a four-digit year's date and time to the second. */
  static final int SECONDS_LENGTH = 19;

  private static final long SECONDS_PER_DAY = 86_400;
  private static final long DAYS_0000_TO_1970 = 719_468;
  private static final long DAYS_PER_400_YEARS = 146_097;

  private IsoInstant() {}

  /** Formats {@code instant} into {@code out} from 0 and returns the length. */
  static int format(Instant instant, char[] out) {
    long seconds = instant.getEpochSecond();
    int nanos = instant.getNano();
    long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
    int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);

    // days to civil date, after Howard Hinnant's days_from_civil inverse (March-based years)
    long z = days + DAYS_0000_TO_1970;
    long era = Math.floorDiv(z, DAYS_PER_400_YEARS);
    long dayOfEra = z - era * DAYS_PER_400_YEARS;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long monthIndex = (5 * dayOfYear + 2) / 153;
    int day = (int) (dayOfYear - (153 * monthIndex + 2) / 5 + 1);
    int month = (int) (monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 0 || year > 9999) {
      // outside four-digit years ISO_INSTANT adds a sign; rare enough to pay for the formatter
      String text = DateTimeFormatter.ISO_INSTANT.format(instant);
      text.getChars(0, text.length(), out, 0);
      return text.length();
    }

    int p = 0;
    p = digits(out, p, (int) year, 4);
    out[p++] = '-';
    p = digits(out, p, month, 2);
    out[p++] = '-';
    p = digits(out, p, day, 2);
    out[p++] = 'T';
    p = digits(out, p, secondOfDay / 3600, 2);
    out[p++] = ':';
    p = digits(out, p, secondOfDay / 60 % 60, 2);
    out[p++] = ':';
    p = digits(out, p, secondOfDay % 60, 2);
    if (nanos != 0) {
      out[p++] = '.';
      if (nanos % 1_000_000 == 0) {
        p = digits(out, p, nanos / 1_000_000, 3);
      } else if (nanos % 1_000 == 0) {
        p = digits(out, p, nanos / 1_000, 6);
      } else {
        p = digits(out, p, nanos, 9);
      }
    }
    out[p++] = 'Z';
    return p;
  }

  /**
   * Writes the fraction of a second as {@link #format} does ({@code .123}, {@code .123456},
   * {@code .123456789}, or nothing for none) into {@code out} at {@code at}; returns the end.
   */
  static int fraction(int nanos, byte[] out, int at) {
    if (nanos == 0) {
      return at;
    }
    out[at] = '.';
    int value;
    int width;
    if (nanos % 1_000_000 == 0) {
      value = nanos / 1_000_000;
      width = 3;
    } else if (nanos % 1_000 == 0) {
      value = nanos / 1_000;
      width = 6;
    } else {
      value = nanos;
      width = 9;
    }
    for (int i = at + width; i > at; i--) {
      out[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    return at + 1 + width;
  }

  private static int digits(char[] out, int at, int value, int width) {
    int v = value;
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + v % 10);
      v /= 10;
    }
    return at + width;
  }
}
