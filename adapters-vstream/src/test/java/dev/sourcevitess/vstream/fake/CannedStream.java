package dev.sourcevitess.vstream.fake;

import binlogdata.Binlogdata;
import java.util.List;
import java.util.Objects;

/**
 * A pre-built stream the fake serves instead of its model, cheaply: {@code prefix}, then the
 * events of {@code block} repeated {@code count} times in responses of {@code perResponse} events,
 * then {@code suffix}; then the call stays open until the client ends it. For decoding benchmarks.
 *
 * <p>A block of several events shapes a realistic stream: copy batches (ROWs, then a VGTID with
 * the last key and a COMMIT) or binlog transactions (BEGIN, ROWs, VGTID, COMMIT). With
 * {@code peeksFromModel}, {@code current} peeks are answered from the fake's model (its shards'
 * real positions) and only the other calls get the canned events.
 */
public record CannedStream(
    List<Binlogdata.VEvent> prefix, List<Binlogdata.VEvent> block, long count, int perResponse,
    List<Binlogdata.VEvent> suffix, boolean peeksFromModel) {
  public CannedStream {
    prefix = List.copyOf(prefix);
    block = List.copyOf(block);
    suffix = List.copyOf(suffix);
    if (block.isEmpty()) {
      throw new IllegalArgumentException("a canned stream repeats at least one event");
    }
    if (count < 0 || perResponse < 1) {
      throw new IllegalArgumentException("count >= 0 and perResponse >= 1 please");
    }
  }

  /** {@code repeated} {@code count} times between {@code prefix} and {@code suffix}. */
  public CannedStream(
      List<Binlogdata.VEvent> prefix, Binlogdata.VEvent repeated, long count, int perResponse,
      List<Binlogdata.VEvent> suffix) {
    this(prefix, List.of(Objects.requireNonNull(repeated, "repeated")), count, perResponse, suffix, false);
  }

  /** {@code event} {@code count} times, 256 per response, with nothing around it. */
  public static CannedStream repeat(Binlogdata.VEvent event, long count) {
    return new CannedStream(List.of(), event, count, 256, List.of());
  }

  /** {@code block} {@code count} times between {@code prefix} and {@code suffix}, 256 events per response. */
  public static CannedStream blocks(
      List<Binlogdata.VEvent> prefix, List<Binlogdata.VEvent> block, long count, List<Binlogdata.VEvent> suffix) {
    return new CannedStream(prefix, block, count, 256, suffix, false);
  }

  /** The same stream, with {@code current} peeks answered from the model instead. */
  public CannedStream withPeeksFromModel() {
    return new CannedStream(prefix, block, count, perResponse, suffix, true);
  }

  /** The same stream in responses of {@code events} events. */
  public CannedStream withPerResponse(int events) {
    return new CannedStream(prefix, block, count, events, suffix, peeksFromModel);
  }

  public long totalEvents() {
    return prefix.size() + block.size() * count + suffix.size();
  }
}
