package dev.sourcevitess.domain.fake;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * What property tests draw, with the edge cases QuickTheories does not weigh in by itself (it only
 * tries each range's bounds first): empty and 1-byte values, the extremes of {@code long}.
 */
public final class PropertyInputs {
  private PropertyInputs() {}

  /** Any {@code long}; 0, ±1 and the extremes one time in ten. */
  public static Gen<Long> anyLong() {
    return longs().all().mix(Generate.pick(List.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MIN_VALUE + 1,
        Long.MAX_VALUE, Long.MAX_VALUE - 1)), 10);
  }

  /** 0 to {@code maxSize} bytes of any value; empty and 1-byte arrays one time in ten. */
  public static Gen<byte[]> bytes(int maxSize) {
    Gen<Integer> sizes = integers().between(0, maxSize).mix(Generate.pick(List.of(0, 1)), 10);
    return Generate.byteArrays(sizes, Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0))
        .describedAs(Arrays::toString);
  }

  /** 0 to {@code maxLength} UTF-16 chars of the basic plane, lone surrogates left out (no UTF-8 holds them). */
  public static Gen<String> text(int maxLength) {
    return textOf(integers().between(0, 0xffff - 0x800).map(i -> (char) (i < 0xd800 ? i : i + 0x800)), maxLength);
  }

  /** 0 to {@code maxLength} of {@code chars}. */
  public static Gen<String> textOf(Gen<Character> chars, int maxLength) {
    return lists().of(chars).ofSizeBetween(0, maxLength)
        .map(list -> list.stream().map(String::valueOf).collect(Collectors.joining()));
  }

  /** A char from {@code from} to {@code to}, both included. */
  public static Gen<Character> chars(char from, char to) {
    return integers().between(from, to).map(i -> (char) i.intValue());
  }

  /** {@code null} {@code percent} % of the time. */
  public static <T> Gen<T> orNull(Gen<T> values, int percent) {
    return values.toOptionals(percent).map(v -> v.orElse(null));
  }

  /** A row's values: up to 12 columns, 30 % NULL, each of up to 255 bytes. */
  public static Gen<List<byte[]>> rowValues() {
    return lists().of(orNull(bytes(255), 30)).ofSizeBetween(0, 12)
        .describedAs(values -> values.stream().map(v -> v == null ? "NULL" : Arrays.toString(v)).toList().toString());
  }
}
