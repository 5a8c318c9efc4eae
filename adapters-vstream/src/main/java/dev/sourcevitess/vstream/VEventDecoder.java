package dev.sourcevitess.vstream;

import binlogdata.Binlogdata;
import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.ColumnType;
import dev.sourcevitess.domain.model.LastKey;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.ChangeStreams;
import io.vitess.proto.Query;
import java.nio.charset.Charset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns the VEvents of one VStream into {@link ChangeEvent}s. Knows nothing of calls, deadlines or
 * errors (that is {@link VtgateChangeStreams}); holds the little state decoding needs, so one
 * decoder serves one stream, on one thread.
 */
final class VEventDecoder {
  private final String keyspace;
  private final String table;
  private final boolean tinyIntAsBoolean;
  private final String keyspacePrefix;
  private final ShardFields fields = new ShardFields();
  private String lastTableName;
  private String lastTable;
  private String lastShardName;
  private Shard lastShard;
  private long lastSeconds;
  private Instant lastInstant;

  VEventDecoder(String keyspace, String table, boolean tinyIntAsBoolean) {
    this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
    this.keyspacePrefix = keyspace + ".";
    this.table = table;
    this.tinyIntAsBoolean = tinyIntAsBoolean;
  }

  /** A decoder for {@code request}. */
  static VEventDecoder forStream(ChangeStreams.Request request, boolean tinyIntAsBoolean) {
    // last keys are read for a copy, which names one table
    String copied = request.tables().size() == 1 ? request.tables().get(0) : null;
    return new VEventDecoder(request.keyspace(), copied, tinyIntAsBoolean);
  }

  /** A decoder for a position peek, which reads VGTIDs only. */
  static VEventDecoder forPositions(String keyspace) {
    return new VEventDecoder(keyspace, null, true);
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
      String shard = !rows.getShard().isEmpty() ? rows.getShard() : event.getShard();
      if (!fields.announceFor(tableName(rows.getTableName()), shard, handler)) {
        return false;
      }
      for (int i = 0; i < rows.getRowChangesCount(); i++) {
        if (!handler.onEvent(rowChange(event, rows, rows.getRowChanges(i)))) {
          return false;
        }
      }
      return true;
    }
    return handler.onEvent(read(event));
  }

  /**
   * The row changes of a ROW event read from the wire ({@link VStreamWire}): {@code count} pairs of
   * before and after images, either of which may be null.
   *
   * @return false as soon as the handler returns false
   * @throws UnreadableEventException when a change has no image
   */
  boolean decodeRows(String tableName, String shard, long timestamp, ProtoRow[] before, ProtoRow[] after,
      int count, ChangeStreams.Handler handler) {
    String name = tableName(tableName);
    if (!fields.announceFor(name, shard, handler)) {
      return false;
    }
    Shard from = shard(shard);
    for (int i = 0; i < count; i++) {
      ChangeEvent.RowChange change;
      try {
        change = rowChange(name, before[i], after[i], timestamp, from);
      } catch (IllegalArgumentException e) {
        throw new UnreadableEventException(Binlogdata.VEventType.ROW, e);
      }
      if (!handler.onEvent(change)) {
        return false;
      }
    }
    return true;
  }

  /** A BEGIN or a COMMIT read from the wire ({@link VStreamWire}): what {@link #decode} makes of them. */
  boolean decodeTransactionEdge(boolean begin, long timestamp, ChangeStreams.Handler handler) {
    return handler.onEvent(begin ? new ChangeEvent.Begin() : new ChangeEvent.Commit(time(timestamp)));
  }

  /** A VGTID read from the wire ({@link VgtidWire}): what {@link #decode} makes of it. */
  boolean decodeVgtid(List<VgtidWire.ShardGtid> shards, ChangeStreams.Handler handler) {
    List<ChangeEvent.ShardPosition> positions = new ArrayList<>(shards.size());
    try {
      for (VgtidWire.ShardGtid shard : shards) {
        positions.add(position(shard.keyspace(), shard.shard(), shard.gtid(), null));
      }
    } catch (IllegalArgumentException e) {
      throw new UnreadableEventException(Binlogdata.VEventType.VGTID, e);
    }
    return handler.onEvent(new ChangeEvent.Vgtid(positions));
  }

  /** A HEARTBEAT or an OTHER read from the wire ({@link VStreamWire}): what {@link #decode} makes of them. */
  boolean decodeSignal(boolean heartbeat, ChangeStreams.Handler handler) {
    return handler.onEvent(heartbeat ? new ChangeEvent.Heartbeat() : new ChangeEvent.Other("OTHER"));
  }

  private ChangeEvent read(Binlogdata.VEvent event) {
    try {
      return switch (event.getType()) {
        case FIELD -> fields.announced(fields(event), shardOf(event));
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

  private ChangeEvent.RowChange rowChange(Binlogdata.VEvent event, Binlogdata.RowEvent rows, Binlogdata.RowChange change) {
    String name = tableName(rows.getTableName());
    PartialImages.refuse(change, name);
    try {
      ProtoRow before = change.hasBefore() ? ProtoRow.of(change.getBefore()) : null;
      ProtoRow after = change.hasAfter() ? ProtoRow.of(change.getAfter()) : null;
      String shard = !rows.getShard().isEmpty() ? rows.getShard() : event.getShard();
      return rowChange(name, before, after, event.getTimestamp(), shard(shard));
    } catch (IllegalArgumentException e) {
      throw new UnreadableEventException(event.getType(), e);
    }
  }

  private ChangeEvent.RowChange rowChange(String name, ProtoRow before, ProtoRow after, long timestamp,
      Shard shard) {
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
    return new ChangeEvent.RowChange(name, operation, before, after, time(timestamp), shard);
  }

  /**
   * The columns a FIELD event announces. Whether ENUM and SET values come as strings is decided
   * here, for the rows after this event: always when the event says so (Vitess 20 and later, and
   * every copy); before Vitess 20 no event says so, and the rows of binlog FIELD events (those
   * with a timestamp: a copy's have none, vstreamer.go stamps every binlog event) carry indexes,
   * also during a copy's catch-up and after VTGate restarted a shard's stream by itself.
   */
  private ChangeEvent.Fields fields(Binlogdata.VEvent event) {
    Binlogdata.FieldEvent fields = event.getFieldEvent();
    String name = tableName(fields.getTableName());
    refuseUnnamedColumns(fields, name);
    boolean membersByIndex = !fields.getEnumSetStringValues() && event.getTimestamp() != 0;
    List<Column> columns = new ArrayList<>(fields.getFieldsCount());
    for (Query.Field field : fields.getFieldsList()) {
      ColumnType type = ColumnType.parse(columnType(field), tinyIntAsBoolean);
      if (type.kind() == ColumnType.Kind.ENUM || type.kind() == ColumnType.Kind.SET) {
        type = type.withMembersByIndex(membersByIndex);
      }
      if (type.isText()) {
        type = type.withCharset(charset(field, name));
      }
      boolean nullable = (field.getFlags() & Query.MySqlFlag.NOT_NULL_FLAG_VALUE) == 0;
      columns.add(new Column(field.getName(), type, nullable));
    }
    return new ChangeEvent.Fields(name, columns);
  }

  private static String shardOf(Binlogdata.VEvent event) {
    String shard = event.getFieldEvent().getShard();
    return !shard.isEmpty() ? shard : event.getShard();
  }

  /**
   * When the tablet's schema does not match a binlog event, vstreamer names the columns {@code @1}
   * to {@code @N} (vstreamer.go buildTableColumns): records keyed that way would be columns no
   * destination has, so the stream stops instead.
   */
  private static void refuseUnnamedColumns(Binlogdata.FieldEvent fields, String table) {
    for (int i = 0; i < fields.getFieldsCount(); i++) {
      if (!fields.getFields(i).getName().equals("@" + (i + 1))) {
        return;
      }
    }
    if (fields.getFieldsCount() > 0) {
      throw new ChangeStreamException(ChangeStreamException.Reason.UNREADABLE_ROWS, "The tablets cannot name the"
          + " columns of table " + table + " in a binlog event (vstreamer sent @1..@" + fields.getFieldsCount()
          + "): their schema of the table does not match the event's, as after a column was dropped or changed"
          + " since the event was written. Reset the stream of " + table + " so it is copied again (or enable"
          + " the tablets' schema tracking, --track_schema_versions, before such changes).");
    }
  }

  /** The character set of a text column; a collation without a decoder here stops the stream. */
  private static Charset charset(Query.Field field, String table) {
    MysqlCharsets.Text text = MysqlCharsets.text(field.getCharset());
    if (text instanceof MysqlCharsets.Decoded decoded) {
      return decoded.charset();
    }
    if (text instanceof MysqlCharsets.Unknown unknown) {
      throw new ChangeStreamException(ChangeStreamException.Reason.UNREADABLE_ROWS, "Column " + field.getName()
          + " of table " + table + " has collation id " + field.getCharset()
          + (unknown.name() == null ? ", which this connector does not know"
              : " (character set " + unknown.name() + "), which Java cannot decode")
          + (field.getCharset() == 0 ? " (0: Vitess did not know the column's collation, such as a MariaDB-only one)"
              : "")
          + ". Convert the column to utf8mb4: ALTER TABLE " + table + " MODIFY " + field.getName()
          + " <its type> CHARACTER SET utf8mb4.");
    }
    return null;
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
    return position(shard.getKeyspace(), shard.getShard(), shard.getGtid(), lastKey(shard));
  }

  private static ChangeEvent.ShardPosition position(String keyspace, String shard, String gtid, LastKey lastKey) {
    if (shard.isEmpty()) {
      throw new IllegalArgumentException("a VGTID names no shard in keyspace " + keyspace);
    }
    return new ChangeEvent.ShardPosition(keyspace, new Shard(shard), gtid, lastKey);
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
      return new ChangeEvent.CopyCompleted(event.getKeyspace(), null);
    }
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

  /** The shard a row event names (vstreamer sets it); null when it names none. */
  private Shard shard(String name) {
    if (name.isEmpty()) {
      return null;
    }
    if (!name.equals(lastShardName)) {
      lastShardName = name;
      lastShard = new Shard(name);
    }
    return lastShard;
  }

  /** VTGate names tables {@code keyspace.table} unless asked not to. */
  private String tableName(String name) {
    // every row event names its table: the last one is remembered rather than cut again
    if (name.equals(lastTableName)) {
      return lastTable;
    }
    String table = name.startsWith(keyspacePrefix) ? name.substring(keyspacePrefix.length()) : name;
    lastTableName = name;
    lastTable = table;
    return table;
  }

  /** VEvent timestamps are binlog seconds; 0 means none (copy rows, for instance). */
  private Instant time(long seconds) {
    if (seconds == 0) {
      return null;
    }
    // the events of one transaction share their second
    if (seconds != lastSeconds) {
      lastSeconds = seconds;
      lastInstant = Instant.ofEpochSecond(seconds);
    }
    return lastInstant;
  }
}
