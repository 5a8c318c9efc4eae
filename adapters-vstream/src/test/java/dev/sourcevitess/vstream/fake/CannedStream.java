package dev.sourcevitess.vstream.fake;

import binlogdata.Binlogdata;
import java.util.List;
import java.util.Objects;

/**
 * A pre-built stream the fake serves instead of its model, cheaply: {@code prefix}, then
 * {@code repeated} {@code count} times in responses of {@code perResponse} events, then
 * {@code suffix}; then the call stays open until the client ends it. For decoding benchmarks.
 */
public record CannedStream(
    List<Binlogdata.VEvent> prefix, Binlogdata.VEvent repeated, long count, int perResponse,
    List<Binlogdata.VEvent> suffix) {
  public CannedStream {
    prefix = List.copyOf(prefix);
    suffix = List.copyOf(suffix);
    Objects.requireNonNull(repeated, "repeated");
    if (count < 0 || perResponse < 1) {
      throw new IllegalArgumentException("count >= 0 and perResponse >= 1 please");
    }
  }

  /** {@code event} {@code count} times, 256 per response, with nothing around it. */
  public static CannedStream repeat(Binlogdata.VEvent event, long count) {
    return new CannedStream(List.of(), event, count, 256, List.of());
  }

  public long totalEvents() {
    return prefix.size() + count + suffix.size();
  }
}
