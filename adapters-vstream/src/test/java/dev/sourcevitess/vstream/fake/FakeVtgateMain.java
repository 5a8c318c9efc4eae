package dev.sourcevitess.vstream.fake;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a fake VTGate on loopback from a properties file, for trying the connector by hand:
 *
 * <pre>
 * port=15991                      # 0 picks a free port
 * keyspace=commerce
 * shards=-80,80-
 * user=reader
 * password=secret                 # omit both to accept any caller
 * tls=true                        # a self-signed certificate for localhost/127.0.0.1
 * tls.dir=/tmp/fake-vtgate-tls    # where the key and trust stores go
 * table.customer=id bigint, email varchar(128)   # the first column is the primary key
 * rows.customer=1000              # rows 1..n, spread over the shards by key range
 * commit.interval.ms=500          # optional: one insert per table every n ms
 * copy.batch.size=1000
 * heartbeat.idle.ms=1000          # optional
 * </pre>
 *
 * Prints the address (and the trust store) and serves until killed.
 */
public final class FakeVtgateMain {
  private FakeVtgateMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: FakeVtgateMain <scenario.properties>");
      System.exit(2);
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of(args[0]))) {
      p.load(in);
    }
    FakeVitess vitess = new FakeVitess();
    FakeKeyspace keyspace = vitess.addKeyspace(p.getProperty("keyspace", "commerce"),
        p.getProperty("shards", "-").split("\\s*,\\s*"));
    List<TableDef> tables = new ArrayList<>();
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith("table.")) {
        TableDef def = table(key.substring("table.".length()), p.getProperty(key));
        keyspace.createTable(def);
        tables.add(def);
        load(keyspace, def, Long.parseLong(p.getProperty("rows." + def.name(), "0")));
      }
    }
    FakeTls tls = Boolean.parseBoolean(p.getProperty("tls", "false"))
        ? FakeTls.localhost(Path.of(p.getProperty("tls.dir", "fake-vtgate-tls"))) : null;
    int port = Integer.parseInt(p.getProperty("port", "0"));
    FakeVtgate vtgate = FakeVtgate.tcp(vitess, tls, port)
        .copyBatchSize(Integer.parseInt(p.getProperty("copy.batch.size", "1000")));
    if (p.getProperty("user") != null) {
      vtgate.requireCredentials(p.getProperty("user"), p.getProperty("password", ""));
    }
    if (p.getProperty("heartbeat.idle.ms") != null) {
      vtgate.heartbeatIdle(Duration.ofMillis(Long.parseLong(p.getProperty("heartbeat.idle.ms"))));
    }
    System.out.println("fake vtgate listening on " + vtgate.host() + ":" + vtgate.port()
        + (tls == null ? " (plaintext)" : " (TLS; trust store " + tls.trustStore()
            + ", type PKCS12, password " + tls.password() + ")"));
    Runtime.getRuntime().addShutdownHook(new Thread(vtgate::close));
    long interval = Long.parseLong(p.getProperty("commit.interval.ms", "0"));
    AtomicLong next = new AtomicLong(1_000_000_000L);
    while (true) {
      Thread.sleep(interval > 0 ? interval : 60_000);
      if (interval > 0) {
        for (TableDef def : tables) {
          long id = next.incrementAndGet();
          List<FakeShard> shards = keyspace.shards();
          shards.get((int) (id % shards.size())).commit(tx -> tx.insertAll(def.name(), List.of(row(def, id))));
        }
      }
    }
  }

  private static TableDef table(String name, String spec) {
    List<ColumnDef> columns = new ArrayList<>();
    for (String column : spec.split("\\s*,\\s*")) {
      String[] parts = column.trim().split("\\s+", 2);
      columns.add(columns.isEmpty() ? ColumnDef.notNull(parts[0], parts[1]) : ColumnDef.nullable(parts[0], parts[1]));
    }
    return new TableDef(name, columns, List.of(columns.get(0).name()));
  }

  private static void load(FakeKeyspace keyspace, TableDef def, long rows) {
    List<FakeShard> shards = keyspace.shards();
    List<List<List<String>>> perShard = new ArrayList<>();
    shards.forEach(s -> perShard.add(new ArrayList<>()));
    for (long id = 1; id <= rows; id++) {
      List<String> row = row(def, id);
      String keyspaceId = FakeKeyspace.keyspaceId(row.get(0));
      for (int i = 0; i < shards.size(); i++) {
        if (FakeKeyspace.inRange(keyspaceId, shards.get(i).name())) {
          perShard.get(i).add(row);
          break;
        }
      }
    }
    for (int i = 0; i < shards.size(); i++) {
      shards.get(i).load(def.name(), perShard.get(i));
    }
  }

  private static List<String> row(TableDef def, long id) {
    String[] values = new String[def.columns().size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = i == 0 || def.columns().get(i).numeric() ? Long.toString(id) : "v" + id;
    }
    return Arrays.asList(values);
  }

}
