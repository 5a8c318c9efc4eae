package dev.sourcevitess.vstream;

import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.RawRow;
import dev.sourcevitess.domain.port.ChangeStreams;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * Collects events, copying row views (valid only during the call) into {@link Row}s, and stops
 * the stream at the first event matching {@code stopAt}.
 */
final class Recorder implements ChangeStreams.Handler {
  /** A RowChange whose images were read during the call. */
  record Row(String table, ChangeEvent.Operation operation, List<String> before, List<String> after,
      Instant eventTime) {}

  private final List<Object> events = Collections.synchronizedList(new ArrayList<>());
  private final Predicate<ChangeEvent> stopAt;

  Recorder(Predicate<ChangeEvent> stopAt) {
    this.stopAt = stopAt;
  }

  static Recorder until(Predicate<ChangeEvent> stopAt) {
    return new Recorder(stopAt);
  }

  /** Stops at the stream-wide COPY_COMPLETED. */
  static Recorder untilCopyDone() {
    return new Recorder(e -> e instanceof ChangeEvent.CopyCompleted c && c.shard() == null);
  }

  @Override
  public boolean onEvent(ChangeEvent event) {
    if (event instanceof ChangeEvent.RowChange row) {
      events.add(new Row(row.table(), row.operation(), values(row.before()), values(row.after()),
          row.eventTime()));
    } else {
      events.add(event);
    }
    return !stopAt.test(event);
  }

  List<Object> events() {
    return new ArrayList<>(events);
  }

  List<Row> rows() {
    return events().stream().filter(Row.class::isInstance).map(Row.class::cast).toList();
  }

  <T> List<T> of(Class<T> type) {
    return events().stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The events as short names: Begin, Fields, Vgtid, Row, Commit... */
  List<String> shape() {
    return events().stream().map(e -> e.getClass().getSimpleName()).toList();
  }

  static List<String> values(RawRow row) {
    if (row == null) {
      return null;
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < row.columnCount(); i++) {
      values.add(row.isNull(i) ? null
          : new String(row.buffer(i), row.offset(i), row.length(i), StandardCharsets.UTF_8));
    }
    return values;
  }
}
