package dev.sourcevitess.vstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import binlogdata.Binlogdata;
import binlogdata.Binlogdata.VEvent;
import binlogdata.Binlogdata.VEventType;
import com.google.protobuf.ByteString;
import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.ColumnType;
import dev.sourcevitess.domain.model.KeyValue;
import dev.sourcevitess.domain.model.LastKey;
import dev.sourcevitess.domain.model.Shard;
import io.vitess.proto.Query;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VEventDecoderTest {
  private final VEventDecoder streaming = new VEventDecoder("commerce", "customer", true);

  private static List<Object> decode(VEventDecoder decoder, VEvent event) {
    Recorder recorder = Recorder.until(e -> false);
    assertTrue(decoder.decode(event, recorder));
    return recorder.events();
  }

  private static Query.Row row(String... values) {
    Query.Row.Builder row = Query.Row.newBuilder();
    StringBuilder all = new StringBuilder();
    for (String value : values) {
      row.addLengths(value == null ? -1 : value.getBytes(StandardCharsets.UTF_8).length);
      if (value != null) {
        all.append(value);
      }
    }
    return row.setValues(ByteString.copyFromUtf8(all.toString())).build();
  }

  /** A field as VTGate sends it: text in utf8mb4_0900_ai_ci (255), other types binary (63). */
  private static Query.Field field(String name, Query.Type type, String columnType, boolean notNull) {
    boolean text = (type.getNumber() & Query.Flag.ISTEXT_VALUE) != 0 || type == Query.Type.ENUM
        || type == Query.Type.SET;
    return Query.Field.newBuilder().setName(name).setType(type).setColumnType(columnType)
        .setCharset(text ? 255 : 63)
        .setFlags(notNull ? Query.MySqlFlag.NOT_NULL_FLAG_VALUE | Query.MySqlFlag.PRI_KEY_FLAG_VALUE : 0)
        .build();
  }

  /** A binlog FIELD event: vstreamer stamps it with the binlog event's time. */
  private static VEvent fieldEvent(String shard, boolean enumSetStrings, Query.Field... fields) {
    return fieldEvent(1_700_000_000, shard, enumSetStrings, fields);
  }

  /** A FIELD event with {@code timestamp}: 0 for a copy's, which has none. */
  private static VEvent fieldEvent(long timestamp, String shard, boolean enumSetStrings, Query.Field... fields) {
    return VEvent.newBuilder().setType(VEventType.FIELD).setTimestamp(timestamp)
        .setKeyspace("commerce").setShard(shard)
        .setFieldEvent(Binlogdata.FieldEvent.newBuilder()
            .setTableName("commerce.customer").setEnumSetStringValues(enumSetStrings)
            .addAllFields(Arrays.asList(fields)))
        .build();
  }

  @Test
  void rowsAreViewsWithNullsAndEmptyStringsApart() {
    VEvent event = VEvent.newBuilder().setType(VEventType.ROW).setTimestamp(1_700_000_000)
        .setRowEvent(Binlogdata.RowEvent.newBuilder().setTableName("commerce.customer")
            .addRowChanges(Binlogdata.RowChange.newBuilder().setAfter(row("1", null, "", "é€")))
            .addRowChanges(Binlogdata.RowChange.newBuilder()
                .setBefore(row("2", "old", null, "x")).setAfter(row("2", "new", null, "x")))
            .addRowChanges(Binlogdata.RowChange.newBuilder().setBefore(row("3", null, null, null))))
        .build();

    List<Recorder.Row> rows = decode(streaming, event).stream().map(Recorder.Row.class::cast).toList();

    Instant at = Instant.ofEpochSecond(1_700_000_000);
    assertEquals(List.of(
        new Recorder.Row("customer", ChangeEvent.Operation.INSERT, null,
            Arrays.asList("1", null, "", "é€"), at),
        new Recorder.Row("customer", ChangeEvent.Operation.UPDATE, Arrays.asList("2", "old", null, "x"),
            Arrays.asList("2", "new", null, "x"), at),
        new Recorder.Row("customer", ChangeEvent.Operation.DELETE, Arrays.asList("3", null, null, null),
            null, at)), rows);
  }

  @Test
  void aRowWithoutTimestampHasNoEventTime() {
    VEvent event = VEvent.newBuilder().setType(VEventType.ROW)
        .setRowEvent(Binlogdata.RowEvent.newBuilder().setTableName("customer")
            .addRowChanges(Binlogdata.RowChange.newBuilder().setAfter(row("1"))))
        .build();
    Recorder.Row row = (Recorder.Row) decode(streaming, event).get(0);
    assertNull(row.eventTime());
    assertEquals("customer", row.table());
  }

  @Test
  void malformedRowsAreRefused() {
    Query.Row tooLong = Query.Row.newBuilder().addLengths(5).setValues(ByteString.copyFromUtf8("abc")).build();
    VEvent overflow = VEvent.newBuilder().setType(VEventType.ROW)
        .setRowEvent(Binlogdata.RowEvent.newBuilder().setTableName("commerce.customer")
            .addRowChanges(Binlogdata.RowChange.newBuilder().setAfter(tooLong)))
        .build();
    assertThrows(VEventDecoder.UnreadableEventException.class, () -> decode(streaming, overflow));
    VEvent empty = VEvent.newBuilder().setType(VEventType.ROW)
        .setRowEvent(Binlogdata.RowEvent.newBuilder().setTableName("commerce.customer")
            .addRowChanges(Binlogdata.RowChange.newBuilder()))
        .build();
    assertThrows(VEventDecoder.UnreadableEventException.class, () -> decode(streaming, empty));
  }

  @Test
  void theHandlerStopsAStreamInsideARowEvent() {
    VEvent event = VEvent.newBuilder().setType(VEventType.ROW)
        .setRowEvent(Binlogdata.RowEvent.newBuilder().setTableName("commerce.customer")
            .addRowChanges(Binlogdata.RowChange.newBuilder().setAfter(row("1")))
            .addRowChanges(Binlogdata.RowChange.newBuilder().setAfter(row("2"))))
        .build();
    Recorder recorder = Recorder.until(e -> true);
    assertFalse(streaming.decode(event, recorder));
    assertEquals(1, recorder.rows().size());
  }

  @Test
  void fieldsCarryTypesAndNullability() {
    ChangeEvent.Fields fields = (ChangeEvent.Fields) decode(streaming, fieldEvent("-", false,
        field("id", Query.Type.INT64, "bigint", true),
        field("active", Query.Type.INT8, "tinyint(1)", false),
        field("price", Query.Type.DECIMAL, "decimal(12,2)", false),
        field("legacy", Query.Type.INT64, "", false))).get(0);

    assertEquals("customer", fields.table());
    assertEquals(List.of("id", "active", "price", "legacy"),
        fields.columns().stream().map(Column::name).toList());
    assertEquals(List.of(false, true, true, true),
        fields.columns().stream().map(Column::nullable).toList());
    assertEquals(List.of(ColumnType.Kind.INTEGER, ColumnType.Kind.BOOLEAN, ColumnType.Kind.DECIMAL,
            ColumnType.Kind.INTEGER),
        fields.columns().stream().map(c -> c.type().kind()).toList());
    assertEquals("decimal(12,2)", fields.columns().get(2).type().mysqlType());
  }

  @Test
  void tinyIntStaysANumberWhenConfigured() {
    VEventDecoder decoder = new VEventDecoder("commerce", "customer", false);
    ChangeEvent.Fields fields = (ChangeEvent.Fields) decode(decoder,
        fieldEvent("-", false, field("active", Query.Type.INT8, "tinyint(1)", false))).get(0);
    assertEquals(ColumnType.Kind.INTEGER, fields.columns().get(0).type().kind());
  }

  @Test
  void enumAndSetComeByIndexOnlyFromABinlogThatSaysSo() {
    Query.Field status = field("status", Query.Type.ENUM, "enum('new','paid')", false);
    Query.Field tags = field("tags", Query.Type.SET, "set('a','b','c')", false);
    Query.Field name = field("name", Query.Type.VARCHAR, "varchar(10)", false);

    ChangeEvent.Fields legacy = (ChangeEvent.Fields) decode(streaming,
        fieldEvent("-", false, status, tags, name)).get(0);
    assertEquals(List.of(true, true, false),
        legacy.columns().stream().map(c -> c.type().membersByIndex()).toList());
    assertEquals(List.of("new", "paid"), legacy.columns().get(0).type().members());

    ChangeEvent.Fields modern = (ChangeEvent.Fields) decode(streaming,
        fieldEvent("-", true, status, tags)).get(0);
    assertEquals(List.of(false, false),
        modern.columns().stream().map(c -> c.type().membersByIndex()).toList());

    // before Vitess 20 a copy's FIELD event (no timestamp) had the flag unset and its rows strings;
    // a binlog one in the middle of a copy (catch-up) has a timestamp and its rows indexes
    ChangeEvent.Fields copied = (ChangeEvent.Fields) decode(streaming, fieldEvent(0, "-80", false, status)).get(0);
    assertFalse(copied.columns().get(0).type().membersByIndex());
    ChangeEvent.Fields catchUp = (ChangeEvent.Fields) decode(streaming, fieldEvent("-80", false, status)).get(0);
    assertTrue(catchUp.columns().get(0).type().membersByIndex());
    ChangeEvent.Fields copiedAgain = (ChangeEvent.Fields) decode(streaming, fieldEvent(0, "-80", false, status)).get(0);
    assertFalse(copiedAgain.columns().get(0).type().membersByIndex());
  }

  @Test
  void rowsFromAnotherShardThanTheLastFieldEventsGetTheirShardsFieldsAgain() {
    Query.Field status = field("status", Query.Type.ENUM, "enum('new','paid')", false);
    ChangeEvent.Fields copying = (ChangeEvent.Fields) decode(streaming, fieldEvent(0, "-80", false, status)).get(0);
    ChangeEvent.Fields binlog = (ChangeEvent.Fields) decode(streaming, fieldEvent("80-", false, status)).get(0);
    VEvent rowOf80 = VEvent.newBuilder().setType(VEventType.ROW).setShard("-80")
        .setRowEvent(Binlogdata.RowEvent.newBuilder().setTableName("commerce.customer").setShard("-80")
            .addRowChanges(Binlogdata.RowChange.newBuilder().setAfter(row("new"))))
        .build();

    List<Object> first = decode(streaming, rowOf80);
    assertEquals(copying, first.get(0), "-80's own columns, announced again before its row");
    assertTrue(first.get(1) instanceof Recorder.Row);
    assertEquals(1, decode(streaming, rowOf80).size(), "announced once until another shard's come");
    assertFalse(binlog.columns().get(0).type().membersByIndex() == copying.columns().get(0).type().membersByIndex());
  }

  @Test
  void vgtidsCarryOurTablesLastKeyOnly() {
    Query.QueryResult lastPk = Query.QueryResult.newBuilder()
        .addFields(Query.Field.newBuilder().setName("id").setType(Query.Type.INT64))
        .addRows(row("42")).build();
    VEvent event = VEvent.newBuilder().setType(VEventType.VGTID)
        .setVgtid(Binlogdata.VGtid.newBuilder()
            .addShardGtids(Binlogdata.ShardGtid.newBuilder().setKeyspace("commerce").setShard("-80")
                .setGtid("MySQL56/a:1-5")
                .addTablePKs(Binlogdata.TableLastPK.newBuilder().setTableName("orders").setLastpk(lastPk))
                .addTablePKs(Binlogdata.TableLastPK.newBuilder().setTableName("customer").setLastpk(lastPk)))
            .addShardGtids(Binlogdata.ShardGtid.newBuilder().setKeyspace("commerce").setShard("80-")
                .setGtid("MySQL56/b:1-7")
                .addTablePKs(Binlogdata.TableLastPK.newBuilder().setTableName("orders").setLastpk(lastPk))))
        .build();

    ChangeEvent.Vgtid vgtid = (ChangeEvent.Vgtid) decode(streaming, event).get(0);

    LastKey expected = new LastKey(List.of(new KeyValue("id", Query.Type.INT64_VALUE,
        "42".getBytes(StandardCharsets.UTF_8))));
    assertEquals(List.of(
        new ChangeEvent.ShardPosition("commerce", new Shard("-80"), "MySQL56/a:1-5", expected),
        new ChangeEvent.ShardPosition("commerce", new Shard("80-"), "MySQL56/b:1-7", null)),
        vgtid.shards());
  }

  @Test
  void copyCompletedNamesItsShardOrNone() {
    assertEquals(List.of(new ChangeEvent.CopyCompleted("commerce", new Shard("-80"))),
        decode(streaming, VEvent.newBuilder().setType(VEventType.COPY_COMPLETED)
            .setKeyspace("commerce").setShard("-80").build()));
    assertEquals(List.of(new ChangeEvent.CopyCompleted("", null)),
        decode(streaming, VEvent.newBuilder().setType(VEventType.COPY_COMPLETED).build()));
  }

  @Test
  void transactionMarkersHeartbeatsDdlAndTheRest() {
    assertEquals(List.of(new ChangeEvent.Begin()),
        decode(streaming, VEvent.newBuilder().setType(VEventType.BEGIN).build()));
    assertEquals(List.of(new ChangeEvent.Commit(Instant.ofEpochSecond(1_700_000_123))),
        decode(streaming, VEvent.newBuilder().setType(VEventType.COMMIT).setTimestamp(1_700_000_123).build()));
    assertEquals(List.of(new ChangeEvent.Commit(null)),
        decode(streaming, VEvent.newBuilder().setType(VEventType.COMMIT).build()));
    assertEquals(List.of(new ChangeEvent.Heartbeat()),
        decode(streaming, VEvent.newBuilder().setType(VEventType.HEARTBEAT).setTimestamp(5).build()));
    assertEquals(List.of(new ChangeEvent.Ddl("alter table customer add column x int")),
        decode(streaming, VEvent.newBuilder().setType(VEventType.DDL)
            .setStatement("alter table customer add column x int").build()));
    for (VEventType type : List.of(VEventType.OTHER, VEventType.VERSION, VEventType.LASTPK,
        VEventType.SAVEPOINT, VEventType.GTID)) {
      assertEquals(List.of(new ChangeEvent.Other(type.name())),
          decode(streaming, VEvent.newBuilder().setType(type).build()));
    }
  }

  @Test
  void shardJournalsNameSourcesAndTargets() {
    VEvent event = VEvent.newBuilder().setType(VEventType.JOURNAL)
        .setJournal(Binlogdata.Journal.newBuilder().setId(9).setMigrationType(Binlogdata.MigrationType.SHARDS)
            .addParticipants(Binlogdata.KeyspaceShard.newBuilder().setKeyspace("commerce").setShard("-"))
            .addShardGtids(Binlogdata.ShardGtid.newBuilder().setKeyspace("commerce").setShard("-80").setGtid("MySQL56/c:1"))
            .addShardGtids(Binlogdata.ShardGtid.newBuilder().setKeyspace("commerce").setShard("80-").setGtid("MySQL56/d:1")))
        .build();
    assertEquals(List.of(new ChangeEvent.Journal(List.of(Shard.UNSHARDED), List.of(
            new ChangeEvent.ShardPosition("commerce", new Shard("-80"), "MySQL56/c:1", null),
            new ChangeEvent.ShardPosition("commerce", new Shard("80-"), "MySQL56/d:1", null)))),
        decode(streaming, event));
    assertEquals(List.of(new ChangeEvent.Other("JOURNAL")), decode(streaming, VEvent.newBuilder()
        .setType(VEventType.JOURNAL)
        .setJournal(Binlogdata.Journal.newBuilder().setMigrationType(Binlogdata.MigrationType.TABLES))
        .build()));
  }
}
