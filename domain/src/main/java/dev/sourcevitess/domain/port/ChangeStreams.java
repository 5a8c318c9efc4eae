package dev.sourcevitess.domain.port;

import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.LastKey;
import dev.sourcevitess.domain.model.Shard;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

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

  /**
   * One VStream: its tables, where each shard starts, and the columns to stream per table (a
   * table not named there, or named with no column, streams all its columns; the named columns
   * include the key columns). A copy names one table only.
   */
  record Request(
      String keyspace, List<String> tables, List<Start> starts, Map<String, List<String>> columns) {
    public Request {
      Objects.requireNonNull(keyspace, "keyspace");
      tables = List.copyOf(tables);
      starts = List.copyOf(starts);
      columns = Map.copyOf(columns).entrySet().stream()
          .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
      if (tables.isEmpty()) {
        throw new IllegalArgumentException("a stream needs at least one table");
      }
      if (starts.isEmpty()) {
        throw new IllegalArgumentException("a stream needs at least one shard to start from");
      }
      if (tables.size() > 1 && starts.stream().anyMatch(Start::copies)) {
        throw new IllegalArgumentException("a copy names one table, not " + tables);
      }
      if (!tables.containsAll(columns.keySet())) {
        throw new IllegalArgumentException("columns named for tables not streamed: " + columns.keySet());
      }
    }

    /** Every column of each table. */
    public Request(String keyspace, List<String> tables, List<Start> starts) {
      this(keyspace, tables, starts, Map.of());
    }

    /** The stream of one table, every column. */
    public Request(String keyspace, String table, List<Start> starts) {
      this(keyspace, table, starts, List.of());
    }

    /** The stream of one table's {@code columns} (empty: all of them). */
    public Request(String keyspace, String table, List<Start> starts, List<String> columns) {
      this(keyspace, List.of(Objects.requireNonNull(table, "table")), starts, Map.of(table, columns));
    }

    /** The columns to stream of {@code table}; empty means all of them. */
    public List<String> columnsOf(String table) {
      return columns.getOrDefault(table, List.of());
    }
  }

  @FunctionalInterface
  interface Handler {
    /** Takes one event; false closes the stream. */
    boolean onEvent(ChangeEvent event);

    /**
     * Nothing has come for a while (not even a heartbeat): called again and again while the
     * silence lasts, some seconds apart, so the reader can say what it waits for and give up. False
     * closes the stream.
     */
    default boolean onQuiet() {
      return true;
    }
  }
}
