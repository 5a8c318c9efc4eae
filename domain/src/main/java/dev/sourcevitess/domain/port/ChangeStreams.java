package dev.sourcevitess.domain.port;

import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.LastKey;
import dev.sourcevitess.domain.model.Shard;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** VTGate's VStream: change streams of a keyspace's shards, positioned by VGTID. */
public interface ChangeStreams {
  /**
   * The current position of every shard of {@code keyspace}: one {@code current} VStream naming
   * no shard, read up to its first VGTID.
   *
   * @throws ChangeStreamException when VTGate cannot be asked
   */
  Map<Shard, String> currentPositions(String keyspace);

  /**
   * Streams the changes of the request's tables from {@code starts} (all shards in one VStream,
   * one filter rule per table) and hands each event to {@code handler} until it returns false, or
   * the stream ends or fails. Row events say their shard; VGTIDs list every shard of the stream.
   *
   * @throws ChangeStreamException when the stream fails; events handed over before stay handed over
   */
  void stream(Request request, Handler handler);

  /**
   * Where one shard's stream starts: {@code ""} copies the table (after {@code lastPk} if set); a
   * position with a last key resumes a copy.
   */
  record Start(Shard shard, String position, LastKey lastPk) {
    public Start {
      Objects.requireNonNull(shard, "shard");
      Objects.requireNonNull(position, "position");
    }

    /** True when this shard copies (or resumes copying) before it streams. */
    public boolean copies() {
      return position.isEmpty() || lastPk != null;
    }
  }

  /** One VStream: its tables, and where each shard starts. A copy names one table only. */
  record Request(String keyspace, List<String> tables, List<Start> starts) {
    public Request {
      Objects.requireNonNull(keyspace, "keyspace");
      tables = List.copyOf(tables);
      starts = List.copyOf(starts);
      if (tables.isEmpty()) {
        throw new IllegalArgumentException("a stream needs at least one table");
      }
      if (starts.isEmpty()) {
        throw new IllegalArgumentException("a stream needs at least one shard to start from");
      }
      if (tables.size() > 1 && starts.stream().anyMatch(Start::copies)) {
        throw new IllegalArgumentException("a copy names one table, not " + tables);
      }
    }

    /** The stream of one table. */
    public Request(String keyspace, String table, List<Start> starts) {
      this(keyspace, List.of(Objects.requireNonNull(table, "table")), starts);
    }
  }

  @FunctionalInterface
  interface Handler {
    /** Takes one event; false closes the stream. */
    boolean onEvent(ChangeEvent event);
  }
}
