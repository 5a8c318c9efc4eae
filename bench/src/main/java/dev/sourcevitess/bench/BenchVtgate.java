package dev.sourcevitess.bench;

import binlogdata.Binlogdata;
import binlogdata.Binlogdata.VEvent;
import binlogdata.Binlogdata.VEventType;
import com.google.protobuf.ByteString;
import dev.sourcevitess.vstream.fake.CannedStream;
import dev.sourcevitess.vstream.fake.ColumnDef;
import dev.sourcevitess.vstream.fake.FakeKeyspace;
import dev.sourcevitess.vstream.fake.FakeShard;
import dev.sourcevitess.vstream.fake.FakeVitess;
import dev.sourcevitess.vstream.fake.FakeVtgate;
import dev.sourcevitess.vstream.fake.TableDef;
import dev.sourcevitess.vstream.proto.PsdbConnect;
import io.vitess.proto.Query;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The fake VTGate of the benchmarks, on loopback, in its own process:
 *
 * <pre>
 * decode --form copy|stream --rows N [--batch B] --keyspace K --state-out F
 *     one shard "-" whose calls get N pre-built ROW events of the 10-column table t: copy batches
 *     (ROWs, VGTID with the last key, COMMIT) or binlog transactions (BEGIN, ROWs, VGTID, COMMIT);
 *     peeks are answered from the model. For the stream form, F gets the state to start from.
 * shards --keyspace K --shards 4 --rows R [--batch B] --delay-us D
 *     4 shards with R rows each of table t (id, name), each stream slowed to one event per D us.
 * noop --keyspace K --shards 4 --tables 200
 *     4 shards with 200 tables t000..t199 (id, v), one row each per shard.
 * busy --keyspace K --shards 4 --tables 200 --transactions 5000 --state-out F
 *     the same tables, empty; F gets the state of every table at the shards' positions, then the
 *     transactions follow, one insert each, spread over the tables and the shards in turn.
 * common: --port-file F (the port, once listening), --calls-file F (VStream calls so far),
 *     --reads-file F (binlog transactions the tablets read per shard, summed over calls: "shard n" lines)
 * </pre>
 */
public final class BenchVtgate {
  /** The 10 columns of the benchmark table, as in bench/run.sh's MariaDB table. */
  static final List<ColumnDef> TEN_COLUMNS = List.of(
      ColumnDef.notNull("id", "bigint"),
      ColumnDef.nullable("i", "int"),
      ColumnDef.nullable("name", "varchar(64)"),
      ColumnDef.nullable("amount", "decimal(12,4)"),
      ColumnDef.nullable("created", "datetime(6)"),
      ColumnDef.nullable("active", "tinyint(1)"),
      ColumnDef.nullable("score", "double"),
      ColumnDef.nullable("notes", "text"),
      ColumnDef.nullable("day", "date"),
      ColumnDef.nullable("status", "enum('new','active','closed')"));
  static final List<String> TEN_VALUES = List.of("1234567", "-42",
      "name-1234567-c4ca4238a0b923820dcc509a6f75849b", "1234.5678", "2024-02-29 13:45:00.123456", "1",
      "176366.71428571428", "lorem ipsum lorem ipsum lorem ipsum ", "2024-02-29", "active");

  private BenchVtgate() {}

  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    String mode = a.positional();
    String keyspaceName = a.get("keyspace", "bench_vs");
    FakeVitess vitess = new FakeVitess();
    FakeVtgate vtgate;
    switch (mode) {
      case "decode" -> vtgate = decode(vitess, keyspaceName, a);
      case "shards" -> vtgate = shards(vitess, keyspaceName, a);
      case "noop" -> vtgate = noop(vitess, keyspaceName, a);
      case "busy" -> vtgate = busy(vitess, keyspaceName, a);
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(vtgate::close));
    Path calls = a.path("calls-file");
    Path reads = a.path("reads-file");
    Files.writeString(a.path("port-file"), Integer.toString(vtgate.port()));
    System.out.println("fake vtgate (" + mode + ") on 127.0.0.1:" + vtgate.port());
    int written = -1;
    while (true) {
      int now = vtgate.vstreamCalls();
      if (calls != null && now != written) {
        Path tmp = calls.resolveSibling(calls.getFileName() + ".tmp");
        Files.writeString(tmp, Integer.toString(now));
        Files.move(tmp, calls, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        written = now;
      }
      if (reads != null) {
        StringBuilder lines = new StringBuilder();
        for (FakeShard shard : vitess.keyspace(keyspaceName).shards()) {
          lines.append(shard.name()).append(' ').append(shard.transactionsRead()).append('\n');
        }
        Path tmp = reads.resolveSibling(reads.getFileName() + ".tmp");
        Files.writeString(tmp, lines);
        Files.move(tmp, reads, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      Thread.sleep(20);
    }
  }

  // ------------------------------------------------------------------ scenario 3: decode

  private static FakeVtgate decode(FakeVitess vitess, String keyspaceName, Args a) throws Exception {
    String form = a.get("form", "copy");
    long rows = Long.parseLong(a.get("rows", "1000000"));
    int batch = Integer.parseInt(a.get("batch", form.equals("copy") ? "1000" : "10"));
    if (rows % batch != 0) {
      throw new IllegalArgumentException("rows must be a multiple of the batch");
    }
    String shardName = "-";
    FakeKeyspace keyspace = vitess.addKeyspace(keyspaceName, shardName);
    TableDef table = new TableDef("t", TEN_COLUMNS, List.of("id"));
    keyspace.createTable(table);
    FakeShard shard = keyspace.shard(shardName);
    // a few transactions, so there is a position before the current one to stream from
    for (int id = 1; id <= 2; id++) {
      String key = Integer.toString(id);
      shard.commit(tx -> tx.insert("t", key, null, null, null, null, null, null, null, null, null));
    }
    String stop = shard.position();
    String before = shard.positionAt(shard.transactions() - 1);
    Events e = new Events(keyspaceName, shardName, "t");
    VEvent row = e.row(TEN_VALUES, form.equals("copy") ? 0 : 1_700_000_000L);
    CannedStream canned;
    if (form.equals("copy")) {
      List<VEvent> block = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        block.add(row);
      }
      block.add(e.vgtid(before, TEN_VALUES.get(0)));
      block.add(e.of(VEventType.COMMIT, 0));
      canned = CannedStream.blocks(
          List.of(e.of(VEventType.BEGIN, 0), e.fields(TEN_COLUMNS, true), e.vgtid(before, null)),
          block, rows / batch,
          List.of(e.of(VEventType.BEGIN, 0), e.vgtid(before, null), e.of(VEventType.COMMIT, 0),
              e.copyCompleted(keyspaceName, shardName), e.copyCompleted("", "")));
    } else {
      long ts = 1_700_000_000L;
      List<VEvent> block = new ArrayList<>();
      block.add(e.of(VEventType.BEGIN, ts));
      for (int i = 0; i < batch; i++) {
        block.add(row);
      }
      block.add(e.vgtid(before, null));
      block.add(e.of(VEventType.COMMIT, ts));
      canned = CannedStream.blocks(List.of(e.fields(TEN_COLUMNS, false)), block, rows / batch,
          List.of(e.of(VEventType.BEGIN, ts), e.vgtid(stop, null), e.of(VEventType.COMMIT, ts)));
      Path positionOut = a.path("position-out");
      if (positionOut != null) {
        Files.writeString(positionOut, before);
      }
      Path stateOut = a.path("state-out");
      if (stateOut != null) {
        String cursor = Base64.getEncoder().encodeToString(PsdbConnect.TableCursor.newBuilder()
            .setShard(shardName).setKeyspace(keyspaceName).setPosition(before).build().toByteArray());
        Files.writeString(stateOut, "[{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"t\","
            + "\"namespace\":\"" + keyspaceName + "\"},\"stream_state\":{\"shards\":{\"" + shardName
            + "\":{\"cursor\":\"" + cursor + "\"}}}}}]");
      }
    }
    Path total = a.path("events-out");
    if (total != null) {
      Files.writeString(total, Long.toString(canned.totalEvents()));
    }
    FakeVtgate vtgate = FakeVtgate.tcp(vitess);
    vtgate.serveCanned(canned.withPeeksFromModel());
    return vtgate;
  }

  // ------------------------------------------------------------------ scenario 4: shards

  private static FakeVtgate shards(FakeVitess vitess, String keyspaceName, Args a) {
    int count = Integer.parseInt(a.get("shards", "4"));
    int rows = Integer.parseInt(a.get("rows", "3000"));
    int batch = Integer.parseInt(a.get("batch", "100"));
    long delayMicros = Long.parseLong(a.get("delay-us", "1000"));
    FakeKeyspace keyspace = vitess.addKeyspace(keyspaceName, shardNames(count));
    TableDef table = TableDef.of("t", List.of("id"), ColumnDef.notNull("id", "bigint"),
        ColumnDef.nullable("name", "varchar(64)"));
    keyspace.createTable(table);
    long id = 1;
    for (FakeShard shard : keyspace.shards()) {
      List<List<String>> loaded = new ArrayList<>(rows);
      for (int i = 0; i < rows; i++, id++) {
        loaded.add(List.of(Long.toString(id), "name-" + id));
      }
      shard.load("t", loaded);
    }
    return FakeVtgate.tcp(vitess).copyBatchSize(batch).eventDelay(Duration.ofNanos(delayMicros * 1000));
  }

  // ------------------------------------------------------------------ scenario 5: no-op incremental

  private static FakeVtgate noop(FakeVitess vitess, String keyspaceName, Args a) {
    int count = Integer.parseInt(a.get("shards", "4"));
    int tables = Integer.parseInt(a.get("tables", "200"));
    FakeKeyspace keyspace = vitess.addKeyspace(keyspaceName, shardNames(count));
    long id = 1;
    for (int t = 0; t < tables; t++) {
      String name = String.format("t%03d", t);
      keyspace.createTable(TableDef.of(name, List.of("id"), ColumnDef.notNull("id", "bigint"),
          ColumnDef.nullable("v", "varchar(32)")));
      for (FakeShard shard : keyspace.shards()) {
        shard.load(name, List.of(List.of(Long.toString(id), "v" + id)));
        id++;
      }
    }
    return FakeVtgate.tcp(vitess).copyBatchSize(1000);
  }

  // ------------------------------------------------------------------ scenario 7: a busy incremental sync

  private static FakeVtgate busy(FakeVitess vitess, String keyspaceName, Args a) throws Exception {
    int count = Integer.parseInt(a.get("shards", "4"));
    int tables = Integer.parseInt(a.get("tables", "200"));
    int transactions = Integer.parseInt(a.get("transactions", "5000"));
    FakeKeyspace keyspace = vitess.addKeyspace(keyspaceName, shardNames(count));
    List<String> names = new ArrayList<>();
    for (int t = 0; t < tables; t++) {
      String name = String.format("t%03d", t);
      names.add(name);
      keyspace.createTable(TableDef.of(name, List.of("id"), ColumnDef.notNull("id", "bigint"),
          ColumnDef.nullable("v", "varchar(32)")));
    }
    // the last state: every table at the shards' current positions
    StringBuilder state = new StringBuilder("[");
    for (String name : names) {
      StringBuilder shards = new StringBuilder();
      for (FakeShard shard : keyspace.shards()) {
        String cursor = Base64.getEncoder().encodeToString(PsdbConnect.TableCursor.newBuilder()
            .setShard(shard.name()).setKeyspace(keyspaceName).setPosition(shard.position()).build().toByteArray());
        shards.append(shards.length() == 0 ? "" : ",").append('"').append(shard.name())
            .append("\":{\"cursor\":\"").append(cursor).append("\"}");
      }
      state.append(state.length() == 1 ? "" : ",").append("{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":")
          .append("{\"name\":\"").append(name).append("\",\"namespace\":\"").append(keyspaceName)
          .append("\"},\"stream_state\":{\"shards\":{").append(shards).append("}}}}");
    }
    Files.writeString(a.path("state-out"), state.append(']'));
    List<FakeShard> shards = keyspace.shards();
    for (int i = 0; i < transactions; i++) {
      String id = Integer.toString(i + 1);
      String table = names.get(i % names.size());
      shards.get((i + i / names.size()) % shards.size()).commit(tx -> tx.insert(table, id, "v" + id));
    }
    return FakeVtgate.tcp(vitess);
  }

  /** {@code count} equal key ranges: 4 gives -40, 40-80, 80-c0, c0-. */
  static String[] shardNames(int count) {
    if (count == 1) {
      return new String[] {"-"};
    }
    String[] names = new String[count];
    for (int i = 0; i < count; i++) {
      String from = i == 0 ? "" : String.format("%02x", 256 * i / count);
      String to = i == count - 1 ? "" : String.format("%02x", 256 * (i + 1) / count);
      names[i] = from + "-" + to;
    }
    return names;
  }

  // ------------------------------------------------------------------ events

  /** Builds the VEvents VTGate sends for one shard of one table. */
  static final class Events {
    private final String keyspace;
    private final String shard;
    private final String table;

    Events(String keyspace, String shard, String table) {
      this.keyspace = keyspace;
      this.shard = shard;
      this.table = table;
    }

    VEvent of(VEventType type, long timestamp) {
      return builder(type, timestamp).build();
    }

    private VEvent.Builder builder(VEventType type, long timestamp) {
      return VEvent.newBuilder().setType(type).setTimestamp(timestamp)
          .setCurrentTime(timestamp * 1_000_000_000L).setKeyspace(keyspace).setShard(shard);
    }

    VEvent copyCompleted(String ks, String sh) {
      return VEvent.newBuilder().setType(VEventType.COPY_COMPLETED).setKeyspace(ks).setShard(sh).build();
    }

    /** A VGTID of this one shard; with a last key, the copy of the table is under way. */
    VEvent vgtid(String position, String lastKey) {
      Binlogdata.ShardGtid.Builder gtid = Binlogdata.ShardGtid.newBuilder()
          .setKeyspace(keyspace).setShard(shard).setGtid(position);
      if (lastKey != null) {
        gtid.addTablePKs(Binlogdata.TableLastPK.newBuilder().setTableName(table)
            .setLastpk(Query.QueryResult.newBuilder()
                .addFields(Query.Field.newBuilder().setName("id").setType(Query.Type.INT64))
                .addRows(row(List.of(lastKey)))));
      }
      return builder(VEventType.VGTID, 0).setVgtid(Binlogdata.VGtid.newBuilder().addShardGtids(gtid)).build();
    }

    /** A FIELD event as VTGate sends it: copy ones leave the FieldEvent's keyspace and shard empty. */
    VEvent fields(List<ColumnDef> columns, boolean copy) {
      Binlogdata.FieldEvent.Builder fields = Binlogdata.FieldEvent.newBuilder()
          .setTableName(keyspace + "." + table).setEnumSetStringValues(true);
      if (!copy) {
        fields.setKeyspace(keyspace).setShard(shard);
      }
      for (ColumnDef column : columns) {
        Query.Type type = column.vitessType();
        boolean text = (type.getNumber() & Query.Flag.ISTEXT_VALUE) != 0;
        int flags = (column.nullable() ? 0 : Query.MySqlFlag.NOT_NULL_FLAG_VALUE)
            | (column.name().equals("id") ? Query.MySqlFlag.PRI_KEY_FLAG_VALUE : 0)
            | (text ? 0 : Query.MySqlFlag.BINARY_FLAG_VALUE);
        fields.addFields(Query.Field.newBuilder().setName(column.name()).setType(type)
            .setTable(table).setOrgTable(table).setDatabase("vt_" + keyspace).setOrgName(column.name())
            .setColumnLength(text ? 1020 : 20).setCharset(text ? 255 : 63).setFlags(flags)
            .setColumnType(column.columnType()));
      }
      return builder(VEventType.FIELD, 0).setFieldEvent(fields).build();
    }

    /** A ROW event with one inserted row. */
    VEvent row(List<String> values, long timestamp) {
      return builder(VEventType.ROW, timestamp).setRowEvent(Binlogdata.RowEvent.newBuilder()
          .setTableName(keyspace + "." + table).setKeyspace(keyspace).setShard(shard)
          .addRowChanges(Binlogdata.RowChange.newBuilder().setAfter(row(values)))).build();
    }

    static Query.Row row(List<String> values) {
      Query.Row.Builder row = Query.Row.newBuilder();
      ByteString.Output bytes = ByteString.newOutput();
      for (String value : values) {
        if (value == null) {
          row.addLengths(-1);
          continue;
        }
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        row.addLengths(b.length);
        bytes.write(b, 0, b.length);
      }
      return row.setValues(bytes.toByteString()).build();
    }
  }

  /** {@code mode --key value ...}. */
  static final class Args {
    private final String positional;
    private final Map<String, String> named = new java.util.HashMap<>();

    Args(String[] args) {
      String first = null;
      for (int i = 0; i < args.length; i++) {
        if (args[i].startsWith("--")) {
          named.put(args[i].substring(2), i + 1 < args.length ? args[++i] : "");
        } else if (first == null) {
          first = args[i];
        }
      }
      this.positional = first;
    }

    String positional() {
      return positional == null ? "" : positional;
    }

    String get(String key, String otherwise) {
      return named.getOrDefault(key, otherwise);
    }

    Path path(String key) {
      String value = named.get(key);
      return value == null ? null : Path.of(value);
    }
  }
}
