package dev.sourcevitess.domain.fake;

import dev.sourcevitess.domain.model.ChangeMeta;
import dev.sourcevitess.domain.model.Checkpoint;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.RawRow;
import dev.sourcevitess.domain.model.RecordLayout;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamState;
import dev.sourcevitess.domain.model.StreamStatus;
import dev.sourcevitess.domain.port.ReadOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps every message a read writes, in order, with record values captured as plain Java values.
 * It also checks the port's contract that calls never overlap.
 */
public final class RecordingOutput implements ReadOutput {
  /** What was written. */
  public sealed interface Message {}

  public record Record(StreamId stream, Map<String, Object> data, ChangeMeta meta) implements Message {}

  public record State(Checkpoint checkpoint) implements Message {}

  public record Status(StreamId stream, StreamStatus status) implements Message {}

  public record Estimate(StreamId stream, long rows, long bytes) implements Message {}

  public record Log(LogLevel level, String message) implements Message {}

  public record Error(FailureType type, String message, String detail) implements Message {}

  private final List<Message> messages = new ArrayList<>();
  private final AtomicBoolean inCall = new AtomicBoolean();
  private volatile boolean overlapped;

  private void add(Message m) {
    if (!inCall.compareAndSet(false, true)) {
      overlapped = true;
    }
    try {
      synchronized (messages) {
        messages.add(m);
      }
    } finally {
      inCall.set(false);
    }
  }

  @Override
  public void record(StreamId stream, RecordLayout layout, RawRow row, ChangeMeta meta) {
    if (layout.cdc() != (meta != null)) {
      throw new AssertionError("a record's change columns must match its layout");
    }
    add(new Record(stream, CapturedValues.dataOf(layout, row), meta));
  }

  @Override
  public void checkpoint(Checkpoint checkpoint) {
    add(new State(checkpoint));
  }

  @Override
  public void status(StreamId stream, StreamStatus status) {
    add(new Status(stream, status));
  }

  @Override
  public void estimate(StreamId stream, long rows, long bytes) {
    add(new Estimate(stream, rows, bytes));
  }

  @Override
  public void log(LogLevel level, String message) {
    add(new Log(level, message));
  }

  @Override
  public void error(FailureType type, String message, String detail) {
    add(new Error(type, message, detail));
  }

  /** True if two calls ever ran at once: the read must serialize its output. */
  public boolean overlapped() {
    return overlapped;
  }

  public List<Message> messages() {
    synchronized (messages) {
      return List.copyOf(messages);
    }
  }

  public List<Record> records() {
    return messages().stream().filter(Record.class::isInstance).map(Record.class::cast).toList();
  }

  public List<Record> records(StreamId stream) {
    return records().stream().filter(r -> r.stream().equals(stream)).toList();
  }

  public List<Checkpoint> checkpoints(StreamId stream) {
    return messages().stream().filter(State.class::isInstance).map(m -> ((State) m).checkpoint())
        .filter(c -> c.stream().equals(stream)).toList();
  }

  public List<StreamStatus> statuses(StreamId stream) {
    return messages().stream().filter(Status.class::isInstance).map(Status.class::cast)
        .filter(s -> s.stream().equals(stream)).map(Status::status).toList();
  }

  public List<Log> logs(LogLevel level) {
    return messages().stream().filter(Log.class::isInstance).map(Log.class::cast)
        .filter(l -> l.level() == level).toList();
  }

  /** The last STATE of each stream: what Airbyte would hand to the next read. */
  public Map<StreamId, StreamState> lastStates() {
    Map<StreamId, StreamState> out = new LinkedHashMap<>();
    for (Message m : messages()) {
      if (m instanceof State s) {
        out.put(s.checkpoint().stream(), s.checkpoint().state());
      }
    }
    return out;
  }

  /**
   * Checks that each STATE's record count equals the stream's records since its previous STATE,
   * as Airbyte does; returns the first mismatch, or null.
   */
  public String recordCountMismatch() {
    Map<StreamId, Long> since = new LinkedHashMap<>();
    for (Message m : messages()) {
      if (m instanceof Record r) {
        since.merge(r.stream(), 1L, Long::sum);
      } else if (m instanceof State s) {
        long seen = since.getOrDefault(s.checkpoint().stream(), 0L);
        if (seen != s.checkpoint().recordCount()) {
          return s.checkpoint().stream() + ": state counts " + s.checkpoint().recordCount() + ", saw " + seen;
        }
        since.put(s.checkpoint().stream(), 0L);
      }
    }
    return null;
  }

  /**
   * What a process killed after its first {@code count} messages had written: those messages, as
   * the next read's caller (and the destination) saw them.
   */
  public RecordingOutput prefix(int count) {
    RecordingOutput cut = new RecordingOutput();
    List<Message> all = messages();
    cut.messages.addAll(all.subList(0, Math.min(count, all.size())));
    return cut;
  }

  public void clear() {
    synchronized (messages) {
      messages.clear();
    }
  }
}
