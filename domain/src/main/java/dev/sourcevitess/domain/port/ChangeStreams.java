package dev.sourcevitess.domain.port;

import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.LastKey;
import dev.sourcevitess.domain.model.Shard;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** VTGate's VStream: change streams per shard, positioned by VGTID. */
public interface ChangeStreams {
  /**
   * The current position of every shard of {@code keyspace}: one {@code current} VStream naming
   * no shard, read up to its first VGTID.
   *
   * @throws ChangeStreamException when VTGate cannot be asked
   */
  Map<Shard, String> currentPositions(String keyspace);

  /**
   * Streams {@code table}'s changes from {@code starts} and hands each event to {@code handler}
   * until it returns false, or the stream ends or fails.
   *
   * @throws ChangeStreamException when the stream fails; events handed over before stay handed over
   */
  void stream(Request request, Handler handler);

  /** Where one shard's stream starts: {@code ""} copies the table (after {@code lastPk} if set). */
  record Start(Shard shard, String position, LastKey lastPk) {
    public Start {
      Objects.requireNonNull(shard, "shard");
      Objects.requireNonNull(position, "position");
    }
  }

  /**
   * @param columns the columns to stream, the key columns among them; empty streams them all
   */
  record Request(String keyspace, String table, List<Start> starts, List<String> columns) {
    public Request {
      Objects.requireNonNull(keyspace, "keyspace");
      Objects.requireNonNull(table, "table");
      starts = List.copyOf(starts);
      columns = List.copyOf(columns);
      if (starts.isEmpty()) {
        throw new IllegalArgumentException("a stream needs at least one shard to start from");
      }
    }

    /** Every column of the table. */
    public Request(String keyspace, String table, List<Start> starts) {
      this(keyspace, table, starts, List.of());
    }
  }

  @FunctionalInterface
  interface Handler {
    /** Takes one event; false closes the stream. */
    boolean onEvent(ChangeEvent event);
  }
}
