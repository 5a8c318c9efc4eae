package dev.sourcevitess.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real local Vitess cluster of {@code scripts/vitess-local.sh}, of either flavour: brought up once
 * per test JVM (built on first use, which takes minutes), reached as the connector reaches
 * PlanetScale. Both flavours may run in one JVM, each its own cluster on its own ports.
 */
final class LocalVitess {
  /** The database under the tablets; what tells the two apart, for the tests, lives here. */
  enum Flavor {
    /** Vitess over MariaDB 10.11: positions {@code MariaDB/<domain>-<server>-<sequence>}. */
    MARIADB("mariadb", "MariaDB/", "SELECT @@GLOBAL.gtid_binlog_pos", "sslMode=DISABLED"),
    /**
     * Vitess over MySQL 9.7, as PlanetScale serves it: positions {@code MySQL56/<uuid>:1-N}. Vitess's
     * accounts use caching_sha2_password, which over plain TCP needs the server's RSA key.
     */
    MYSQL("mysql", "MySQL56/", "SELECT @@GLOBAL.gtid_executed", "sslMode=DISABLED&allowPublicKeyRetrieval=true");

    final String scriptName;
    final String positionPrefix;
    private final String positionQuery;
    private final String shardUrlOptions;

    Flavor(String scriptName, String positionPrefix, String positionQuery, String shardUrlOptions) {
      this.scriptName = scriptName;
      this.positionPrefix = positionPrefix;
      this.positionQuery = positionQuery;
      this.shardUrlOptions = shardUrlOptions;
    }

    /** A connection straight to one of this flavour's shard instances, with Vitess's dba account. */
    String shardUrl(int port, String database) {
      return "jdbc:mysql://127.0.0.1:" + port + "/" + database + "?" + shardUrlOptions;
    }

    /** The shard's executed set as VTGate writes it: MySQL prints a newline after each UUID's comma. */
    String position(String executed) {
      return positionPrefix + executed.replaceAll("\\s", "");
    }
  }

  private static final Map<Flavor, LocalVitess> INSTANCES = new EnumMap<>(Flavor.class);

  final Flavor flavor;
  final String host;
  final int grpcPort;
  final int mysqlPort;
  final int httpPort;
  final String user;
  final String password;
  final String keyspace;
  final String cell;
  final String logs;
  private final Map<String, Integer> shardPorts = new LinkedHashMap<>();
  private final String dbUser;
  private final String dbPassword;

  private LocalVitess(Flavor flavor, Map<String, String> env) {
    this.flavor = flavor;
    host = env.get("SV_VTGATE_HOST");
    grpcPort = Integer.parseInt(env.get("SV_VTGATE_GRPC_PORT"));
    mysqlPort = Integer.parseInt(env.get("SV_VTGATE_MYSQL_PORT"));
    httpPort = Integer.parseInt(env.get("SV_VTGATE_HTTP_PORT"));
    user = env.get("SV_VTGATE_USER");
    password = env.get("SV_VTGATE_PASSWORD");
    keyspace = env.get("SV_VTGATE_KEYSPACE");
    cell = env.get("SV_VTGATE_CELL");
    logs = env.get("SV_VITESS_LOGS");
    dbUser = env.get("SV_VITESS_DB_USER");
    dbPassword = env.get("SV_VITESS_DB_PASSWORD");
    for (String pair : env.get("SV_VITESS_SHARD_PORTS").split(",")) {
      int eq = pair.lastIndexOf('=');
      shardPorts.put(pair.substring(0, eq), Integer.parseInt(pair.substring(eq + 1)));
    }
  }

  /** The MariaDB-flavour cluster, started if it is down. */
  static LocalVitess up() throws IOException, InterruptedException {
    return up(Flavor.MARIADB);
  }

  /**
   * The cluster of this flavour, started if it is down; aborts the calling tests where Vitess cannot
   * be built. The MySQL flavour's first start also makes its Debian sid root (about 2 minutes).
   */
  static synchronized LocalVitess up(Flavor flavor) throws IOException, InterruptedException {
    LocalVitess instance = INSTANCES.get(flavor);
    if (instance == null) {
      Path log = Files.createTempFile("vitess-local-up-" + flavor.scriptName, ".log");
      Process up = new ProcessBuilder(command(flavor, "up")).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!up.waitFor(20, TimeUnit.MINUTES)) {
        up.destroyForcibly();
        throw new AssertionError("scripts/vitess-local.sh --flavor " + flavor.scriptName
            + " up did not finish in 20 minutes; see " + log);
      }
      String said = Files.readString(log, StandardCharsets.UTF_8);
      Assumptions.assumeFalse(up.exitValue() != 0 && said.contains("Go is needed to build Vitess"),
          "skipped: no Go toolchain on this machine to build the local Vitess cluster (" + said.strip() + ")");
      if (up.exitValue() != 0) {
        throw new AssertionError("scripts/vitess-local.sh --flavor " + flavor.scriptName + " up failed:\n" + said);
      }
      Map<String, String> values = new LinkedHashMap<>();
      script(flavor, "env").lines().filter(l -> l.startsWith("SV_") && l.contains("="))
          .forEach(l -> values.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
      instance = new LocalVitess(flavor, values);
      INSTANCES.put(flavor, instance);
    }
    return instance;
  }

  private static List<String> command(Flavor flavor, String... args) {
    List<String> command = new ArrayList<>(List.of("bash", projectRoot().resolve("scripts/vitess-local.sh").toString(),
        "--flavor", flavor.scriptName));
    command.addAll(List.of(args));
    return command;
  }

  static Path projectRoot() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("scripts/vitess-local.sh"))) {
        return p;
      }
    }
    throw new AssertionError("no scripts/vitess-local.sh above " + here);
  }

  /** A connection through VTGate's MySQL port, in the keyspace. */
  Connection vtgate() throws SQLException {
    return vtgate(keyspace);
  }

  Connection vtgate(String keyspace) throws SQLException {
    return DriverManager.getConnection("jdbc:mysql://" + host + ":" + mysqlPort + "/" + keyspace
        + "?sslMode=DISABLED&characterEncoding=UTF-8", user, password);
  }

  void execute(String... statements) throws SQLException {
    executeIn(keyspace, statements);
  }

  void executeIn(String keyspace, String... statements) throws SQLException {
    try (Connection c = vtgate(keyspace); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  /** Runs {@code scripts/vitess-local.sh} on the MariaDB-flavour cluster; its output, or a failure with it. */
  static String script(String... args) throws IOException, InterruptedException {
    return script(Flavor.MARIADB, args);
  }

  /** Runs {@code scripts/vitess-local.sh --flavor F} with these arguments; its output, or a failure with it. */
  static String script(Flavor flavor, String... args) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command(flavor, args)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new AssertionError("scripts/vitess-local.sh --flavor " + flavor.scriptName + " " + String.join(" ", args)
          + " failed:\n" + out);
    }
    return out;
  }

  /**
   * A table of this keyspace, created anew through VTGate, sharded by a hash of {@code id} (the
   * first column); any table of that name from an earlier run goes first.
   */
  void createTable(String name, String columns) throws SQLException {
    createTable(keyspace, name, columns);
  }

  void createTable(String keyspace, String name, String columns) throws SQLException {
    try (Connection c = vtgate(keyspace); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS `" + name + "`");
      try {
        s.execute("ALTER VSCHEMA ON `" + name + "` DROP VINDEX hash");
      } catch (SQLException notThere) {
        // a first run: the vschema has no such table yet
      }
      s.execute("CREATE TABLE `" + name + "` (" + columns + ")");
      s.execute("ALTER VSCHEMA ON `" + name + "` ADD VINDEX hash(id) USING hash");
    }
  }

  /** Rows {@code from..to} of a table of (id, note, amount), a thousand to a statement. */
  void insertRows(String keyspace, String table, long from, long to) throws SQLException {
    for (long first = from; first <= to; first += 1000) {
      StringBuilder sql = new StringBuilder("INSERT INTO `" + table + "` (id, note, amount) VALUES ");
      for (long id = first; id <= Math.min(to, first + 999); id++) {
        sql.append(id == first ? "" : ", ").append('(').append(id).append(", 'n").append(id).append("', ")
            .append(id).append(".25)");
      }
      executeIn(keyspace, sql.toString());
    }
  }

  /** The shards of the keyspace, in order ({@code -80}, {@code 80-}). */
  Iterable<String> shards() {
    return shardPorts.keySet();
  }

  /** A connection straight to a shard's database (MariaDB or MySQL), behind VTGate. */
  Connection shard(String shard) throws SQLException {
    Integer port = shardPorts.get(shard);
    if (port == null) {
      throw new IllegalArgumentException("no shard " + shard);
    }
    return DriverManager.getConnection(flavor.shardUrl(port, keyspace), dbUser, dbPassword);
  }

  /** A shard's current position as VTGate writes it ({@code MariaDB/0-100-57}, {@code MySQL56/<uuid>:1-57}). */
  String position(String shard) throws SQLException {
    try (Connection c = shard(shard); Statement s = c.createStatement();
        ResultSet r = s.executeQuery(flavor.positionQuery)) {
      r.next();
      return flavor.position(r.getString(1));
    }
  }

  /** How many shard streams VTGate has opened on each shard since it started. */
  Map<String, Long> vstreamsCreated() throws IOException, InterruptedException {
    HttpResponse<String> vars = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://" + host + ":" + httpPort + "/debug/vars")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode created = ConnectorRun.JSON.readTree(vars.body()).path("VStreamsCreated");
    Map<String, Long> perShard = new LinkedHashMap<>();
    for (String shard : shardPorts.keySet()) {
      perShard.put(shard, created.path(cell + "." + keyspace + "." + shard + ".PRIMARY").asLong());
    }
    return perShard;
  }

  /** The connector's config for this cluster, with extra fields ({@code , "k": v}) appended. */
  String config(String extra) {
    return config(keyspace, extra);
  }

  String config(String keyspace, String extra) {
    return "{\"host\": \"" + host + "\", \"port\": " + mysqlPort + ", \"grpc_port\": " + grpcPort
        + ", \"database\": \"" + keyspace + "\", \"username\": \"" + user + "\", \"password\": \"" + password
        + "\", \"tls_mode\": \"disabled\", \"replication_method\": \"VSTREAM\", \"cells\": \"" + cell + "\""
        + extra + "}";
  }

  /** The connector's STANDARD config for a shard's own database, with Vitess's dba account. */
  String standardConfig(String shard) {
    return "{\"host\": \"127.0.0.1\", \"port\": " + shardPorts.get(shard) + ", \"database\": \"" + keyspace
        + "\", \"username\": \"" + dbUser + "\", \"password\": \"" + dbPassword
        + "\", \"tls_mode\": \"disabled\", \"replication_method\": \"STANDARD\"}";
  }

  /** Runs {@code step} until it passes, for what Vitess makes true a little later. */
  static <T> T eventually(String what, Duration limit, ThrowingSupplier<T> step) throws Exception {
    Instant end = Instant.now().plus(limit);
    while (true) {
      try {
        return step.get();
      } catch (Exception | AssertionError e) {
        if (Instant.now().isAfter(end)) {
          throw new AssertionError(what + " within " + limit + "; cluster logs: " + logs(), e);
        }
        Thread.sleep(1000);
      }
    }
  }

  private static synchronized String logs() {
    return INSTANCES.values().stream().map(v -> v.logs).toList().toString();
  }

  @FunctionalInterface
  interface ThrowingSupplier<T> {
    T get() throws Exception;
  }

}
