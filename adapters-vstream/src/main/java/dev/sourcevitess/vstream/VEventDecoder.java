package dev.sourcevitess.vstream;

import binlogdata.Binlogdata;
import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.ColumnType;
import dev.sourcevitess.domain.model.LastKey;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.port.ChangeStreams;
import io.vitess.proto.Query;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns the VEvents of one VStream into {@link ChangeEvent}s. Knows nothing of calls, deadlines or
 * errors (that is {@link VtgateChangeStreams}); holds the little state decoding needs, so one
 * decoder serves one stream, on one thread.
 */
final class VEventDecoder {
  private final String keyspace;
  private final String table;
  private final boolean tinyIntAsBoolean;
  // Shards still in their copy phase: before Vitess 20 the copy phase sent ENUM and SET as strings
  // and the binlog phase as numbers, with enum_set_string_values false in both.
  private final Set<String> copyingShards;

  VEventDecoder(String keyspace, String table, boolean tinyIntAsBoolean, Set<String> copyingShards) {
    this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
    this.table = table;
    this.tinyIntAsBoolean = tinyIntAsBoolean;
    this.copyingShards = new HashSet<>(copyingShards);
  }

  /** A decoder for {@code request}: its starts at {@code ""} or with a last key copy first. */
  static VEventDecoder forStream(ChangeStreams.Request request, boolean tinyIntAsBoolean) {
    Set<String> copying = new HashSet<>();
    for (ChangeStreams.Start start : request.starts()) {
      if (start.position().isEmpty() || start.lastPk() != null) {
        copying.add(start.shard().name());
      }
    }
    return new VEventDecoder(request.keyspace(), request.table(), tinyIntAsBoolean, copying);
  }

  /** A decoder for a position peek, which reads VGTIDs only. */
  static VEventDecoder forPositions(String keyspace) {
    return new VEventDecoder(keyspace, null, true, Set.of());
  }

  /** An event this decoder cannot read; what the handler throws passes through untouched. */
  static final class UnreadableEventException extends RuntimeException {
    UnreadableEventException(Binlogdata.VEventType type, RuntimeException cause) {
      super("a " + type + " event cannot be read: " + cause.getMessage(), cause);
    }
  }

  /**
   * Hands the events of {@code event} to {@code handler}, one per row change for ROW events.
   *
   * @return false as soon as the handler returns false
   * @throws UnreadableEventException when the event is malformed
   */
  boolean decode(Binlogdata.VEvent event, ChangeStreams.Handler handler) {
    if (event.getType() == Binlogdata.VEventType.ROW) {
      Binlogdata.RowEvent rows = event.getRowEvent();
      for (int i = 0; i < rows.getRowChangesCount(); i++) {
        if (!handler.onEvent(rowChange(event, rows.getRowChanges(i)))) {
          return false;
        }
      }
      return true;
    }
    return handler.onEvent(read(event));
  }

  private ChangeEvent read(Binlogdata.VEvent event) {
    try {
      return switch (event.getType()) {
        case FIELD -> fields(event);
        case VGTID -> vgtid(event.getVgtid());
        case BEGIN -> new ChangeEvent.Begin();
        case COMMIT -> new ChangeEvent.Commit(time(event.getTimestamp()));
        case COPY_COMPLETED -> copyCompleted(event);
        case HEARTBEAT -> new ChangeEvent.Heartbeat();
        case DDL -> new ChangeEvent.Ddl(event.getStatement());
        case JOURNAL -> journal(event.getJournal());
        default -> new ChangeEvent.Other(event.getType().name());
      };
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new UnreadableEventException(event.getType(), e);
    }
  }

  private ChangeEvent.RowChange rowChange(Binlogdata.VEvent event, Binlogdata.RowChange change) {
    String name = tableName(event.getRowEvent().getTableName());
    try {
      ProtoRow before = change.hasBefore() ? ProtoRow.of(change.getBefore()) : null;
      ProtoRow after = change.hasAfter() ? ProtoRow.of(change.getAfter()) : null;
      ChangeEvent.Operation operation;
      if (before == null && after == null) {
        throw new IllegalArgumentException("a row change of " + name + " has no row image");
      } else if (before == null) {
        operation = ChangeEvent.Operation.INSERT;
      } else if (after == null) {
        operation = ChangeEvent.Operation.DELETE;
      } else {
        operation = ChangeEvent.Operation.UPDATE;
      }
      return new ChangeEvent.RowChange(name, operation, before, after, time(event.getTimestamp()));
    } catch (IllegalArgumentException e) {
      throw new UnreadableEventException(event.getType(), e);
    }
  }

  private ChangeEvent.Fields fields(Binlogdata.VEvent event) {
    Binlogdata.FieldEvent fields = event.getFieldEvent();
    String shard = !fields.getShard().isEmpty() ? fields.getShard() : event.getShard();
    boolean copying = shard.isEmpty() ? !copyingShards.isEmpty() : copyingShards.contains(shard);
    boolean membersByIndex = !fields.getEnumSetStringValues() && !copying;
    List<Column> columns = new ArrayList<>(fields.getFieldsCount());
    for (Query.Field field : fields.getFieldsList()) {
      ColumnType type = ColumnType.parse(columnType(field), tinyIntAsBoolean);
      if (type.kind() == ColumnType.Kind.ENUM || type.kind() == ColumnType.Kind.SET) {
        type = type.withMembersByIndex(membersByIndex);
      }
      boolean nullable = (field.getFlags() & Query.MySqlFlag.NOT_NULL_FLAG_VALUE) == 0;
      columns.add(new Column(field.getName(), type, nullable));
    }
    return new ChangeEvent.Fields(tableName(fields.getTableName()), columns);
  }

  /**
   * The declared type; VTGate fills {@code column_type} from information_schema. When it is
   * missing, a type name standing for the Vitess type (ENUM and SET members are then unknown).
   */
  private static String columnType(Query.Field field) {
    if (!field.getColumnType().isEmpty()) {
      return field.getColumnType();
    }
    return switch (field.getType()) {
      case INT8 -> field.getColumnLength() == 1 ? "tinyint(1)" : "tinyint";
      case UINT8 -> "tinyint unsigned";
      case INT16 -> "smallint";
      case UINT16 -> "smallint unsigned";
      case INT24 -> "mediumint";
      case UINT24 -> "mediumint unsigned";
      case INT32 -> "int";
      case UINT32 -> "int unsigned";
      case INT64 -> "bigint";
      case UINT64 -> "bigint unsigned";
      case FLOAT32 -> "float";
      case FLOAT64 -> "double";
      case DECIMAL -> "decimal";
      case TIMESTAMP -> "timestamp";
      case DATE -> "date";
      case TIME -> "time";
      case DATETIME -> "datetime";
      case YEAR -> "year";
      case BIT -> "bit(" + Math.max(1, field.getColumnLength()) + ")";
      case ENUM -> "enum";
      case SET -> "set";
      case JSON -> "json";
      case BLOB -> "blob";
      case VARBINARY -> "varbinary";
      case BINARY -> "binary";
      case GEOMETRY -> "geometry";
      case VECTOR -> "vector";
      default -> "text";
    };
  }

  ChangeEvent.Vgtid vgtid(Binlogdata.VGtid vgtid) {
    List<ChangeEvent.ShardPosition> shards = new ArrayList<>(vgtid.getShardGtidsCount());
    for (Binlogdata.ShardGtid shard : vgtid.getShardGtidsList()) {
      shards.add(position(shard));
    }
    return new ChangeEvent.Vgtid(shards);
  }

  private ChangeEvent.ShardPosition position(Binlogdata.ShardGtid shard) {
    if (shard.getShard().isEmpty()) {
      throw new IllegalArgumentException("a VGTID names no shard in keyspace " + shard.getKeyspace());
    }
    return new ChangeEvent.ShardPosition(
        shard.getKeyspace(), new Shard(shard.getShard()), shard.getGtid(), lastKey(shard));
  }

  /** Our table's last key in the copy, from the shard's TablePKs; null when the table is not there. */
  private LastKey lastKey(Binlogdata.ShardGtid shard) {
    if (table == null) {
      return null;
    }
    for (Binlogdata.TableLastPK pk : shard.getTablePKsList()) {
      if (tableName(pk.getTableName()).equals(table) && pk.hasLastpk()) {
        return LastKeyProto.fromQueryResult(pk.getLastpk());
      }
    }
    return null;
  }

  private ChangeEvent.CopyCompleted copyCompleted(Binlogdata.VEvent event) {
    if (event.getShard().isEmpty()) {
      copyingShards.clear();
      return new ChangeEvent.CopyCompleted(event.getKeyspace(), null);
    }
    copyingShards.remove(event.getShard());
    return new ChangeEvent.CopyCompleted(event.getKeyspace(), new Shard(event.getShard()));
  }

  private ChangeEvent journal(Binlogdata.Journal journal) {
    if (journal.getMigrationType() != Binlogdata.MigrationType.SHARDS) {
      // VTGate does not follow table migrations; nothing for a reader to act on
      return new ChangeEvent.Other("JOURNAL");
    }
    List<Shard> sources = new ArrayList<>();
    for (Binlogdata.KeyspaceShard participant : journal.getParticipantsList()) {
      sources.add(new Shard(participant.getShard()));
    }
    List<ChangeEvent.ShardPosition> targets = new ArrayList<>();
    for (Binlogdata.ShardGtid shard : journal.getShardGtidsList()) {
      targets.add(position(shard));
    }
    return new ChangeEvent.Journal(sources, targets);
  }

  /** VTGate names tables {@code keyspace.table} unless asked not to. */
  private String tableName(String name) {
    String prefix = keyspace + ".";
    return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
  }

  /** VEvent timestamps are binlog seconds; 0 means none (copy rows, for instance). */
  private static Instant time(long seconds) {
    return seconds == 0 ? null : Instant.ofEpochSecond(seconds);
  }
}
