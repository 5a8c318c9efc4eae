package dev.sourcevitess.domain.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a VStream delivers, decoded; table names come without the keyspace. Handled through a
 * {@link Visitor}, so adding an event breaks every handler that forgets it (Java 17 has no
 * pattern-matching switch).
 */
public sealed interface ChangeEvent {
  <R> R accept(Visitor<R> visitor);

  /** One method per event. */
  interface Visitor<R> {
    R begin(Begin event);

    R fields(Fields event);

    R row(RowChange event);

    R vgtid(Vgtid event);

    R commit(Commit event);

    R copyCompleted(CopyCompleted event);

    R heartbeat(Heartbeat event);

    R ddl(Ddl event);

    R journal(Journal event);

    R other(Other event);
  }

  record Begin() implements ChangeEvent {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.begin(this);
    }
  }

  /** The columns of the rows of {@code table} that follow, until the next Fields for it. */
  record Fields(String table, List<Column> columns) implements ChangeEvent {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.fields(this);
    }

    public Fields {
      columns = List.copyOf(columns);
    }
  }

  /** How a row changed. */
  enum Operation { INSERT, UPDATE, DELETE }

  /**
   * One row change. {@code before} is set for updates and deletes, {@code after} for inserts and
   * updates; both are views valid during the call only.
   *
   * @param eventTime when the change was committed, or null when VTGate did not say (copy rows)
   * @param shard the shard the change comes from, or null when VTGate did not say
   */
  record RowChange(String table, Operation operation, RawRow before, RawRow after, Instant eventTime, Shard shard)
      implements ChangeEvent {
    /** A change whose shard is not known. */
    public RowChange(String table, Operation operation, RawRow before, RawRow after, Instant eventTime) {
      this(table, operation, before, after, eventTime, null);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.row(this);
    }

    public RowChange {
      Objects.requireNonNull(operation, "operation");
      if ((operation == Operation.INSERT) != (before == null) || (operation == Operation.DELETE) != (after == null)) {
        throw new IllegalArgumentException(operation + " with before=" + before + " after=" + after);
      }
    }
  }

  /** Where a shard stands; {@code lastPk} is the copy's last key of our table, or null. */
  record ShardPosition(String keyspace, Shard shard, String position, LastKey lastPk) {
    public ShardPosition {
      Objects.requireNonNull(keyspace, "keyspace");
      Objects.requireNonNull(shard, "shard");
      Objects.requireNonNull(position, "position");
    }
  }

  /** The positions of every shard in the stream after the events before it. */
  record Vgtid(List<ShardPosition> shards) implements ChangeEvent {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.vgtid(this);
    }

    public Vgtid {
      shards = List.copyOf(shards);
    }
  }

  record Commit(Instant commitTime) implements ChangeEvent {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.commit(this);
    }
  }

  /** A shard's copy is done; a null shard (and empty keyspace) means every shard's is. */
  record CopyCompleted(String keyspace, Shard shard) implements ChangeEvent {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.copyCompleted(this);
    }
  }

  /**
   * VTGate's own sign of life while nothing comes (it sends one after the heartbeat interval of
   * silence); no position, and nothing of any shard: VTGate drops the tablets' heartbeats, and with
   * them whether a tablet throttles the stream (vstream_manager.go).
   */
  record Heartbeat() implements ChangeEvent {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.heartbeat(this);
    }
  }

  /** A DDL statement; it prints with its credentials masked (see {@link SqlText}). */
  record Ddl(SqlText statement) implements ChangeEvent {
    /** {@code TRUNCATE [TABLE] [keyspace.]table}, with or without backquotes. */
    private static final java.util.regex.Pattern TRUNCATE = java.util.regex.Pattern.compile(
        "(?is)\\s*(?:/\\*.*?\\*/\\s*)*truncate\\s+(?:table\\s+)?(?:`?[^`.\\s]+`?\\.)?`?([^`\\s;]+)`?\\s*;?\\s*");

    public Ddl {
      Objects.requireNonNull(statement, "statement");
    }

    public Ddl(String statement) {
      this(new SqlText(statement == null ? "" : statement));
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.ddl(this);
    }

    /**
     * Whether this empties {@code table}. A TRUNCATE reaches VStream as this statement only, with
     * no row deletes, so the destination keeps the rows.
     */
    public boolean truncates(String table) {
      java.util.regex.Matcher m = TRUNCATE.matcher(statement.raw());
      return m.matches() && m.group(1).equalsIgnoreCase(table);
    }
  }

  /** A reshard: the stream moves from {@code sourceShards} to the journal's positions. */
  record Journal(List<Shard> sourceShards, List<ShardPosition> newPositions) implements ChangeEvent {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.journal(this);
    }

    public Journal {
      sourceShards = List.copyOf(sourceShards);
      newPositions = List.copyOf(newPositions);
    }
  }

  /** Anything else VTGate sends (OTHER, GTID, VERSION, LASTPK...), ignored. */
  record Other(String type) implements ChangeEvent {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.other(this);
    }
  }
}
