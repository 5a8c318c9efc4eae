package dev.sourcevitess.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoInstantTest {
  private static String format(Instant instant) {
    char[] out = new char[IsoInstant.MAX_LENGTH];
    return new String(out, 0, IsoInstant.format(instant, out));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "2024-02-29T13:45:07Z",
      "2024-02-29T13:45:07.120Z", "2024-02-29T13:45:07.000120Z", "2000-03-01T00:00:00.000000001Z",
      "1900-02-28T23:59:59Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "+10000-01-01T00:00:00Z",
      "-0001-12-31T23:59:59Z"})
  void formatsAsIsoInstant(String text) {
    Instant instant = Instant.parse(text);
    assertEquals(DateTimeFormatter.ISO_INSTANT.format(instant), format(instant));
  }

  /** The record writer keeps the text to the second and appends the fraction: the same text. */
  @Test
  void theFractionAppendedToTheSecondIsTheWholeInstant() {
    Random random = new Random(7);
    int[] granularity = {1_000_000_000, 1_000_000, 1_000, 1};
    for (int i = 0; i < 20_000; i++) {
      int step = granularity[i % granularity.length];
      int nanos = step == 1_000_000_000 ? 0 : random.nextInt(1_000_000_000 / step) * step;
      Instant instant = Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100_000_000), nanos);
      String second = format(Instant.ofEpochSecond(instant.getEpochSecond()));
      assertEquals(IsoInstant.SECONDS_LENGTH + 1, second.length());
      byte[] out = new byte[IsoInstant.MAX_LENGTH];
      int end = IsoInstant.fraction(nanos, out, 0);
      String whole = second.substring(0, IsoInstant.SECONDS_LENGTH)
          + new String(out, 0, end, java.nio.charset.StandardCharsets.US_ASCII) + "Z";
      assertEquals(DateTimeFormatter.ISO_INSTANT.format(instant), whole, instant::toString);
    }
  }

  @Test
  void agreesWithIsoInstantEverywhere() {
    Random random = new Random(42);
    long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    int[] granularity = {1_000_000_000, 1_000_000, 1_000, 1};
    for (int i = 0; i < 200_000; i++) {
      long seconds = min + (long) (random.nextDouble() * (max - min));
      int step = granularity[i % granularity.length];
      int nanos = step == 1_000_000_000 ? 0 : random.nextInt(1_000_000_000 / step) * step;
      Instant instant = Instant.ofEpochSecond(seconds, nanos);
      assertEquals(DateTimeFormatter.ISO_INSTANT.format(instant), format(instant), instant::toString);
    }
  }
}
