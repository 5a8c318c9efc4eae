package dev.sourcevitess.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sourcevitess.domain.fake.LoopbackListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar as a process fed what a careless or hostile user would give it (issue 11): whatever
 * the input, stdout holds protocol messages only, a failed check is a FAILED status with exit 0,
 * a failed read or discover a TRACE ERROR of the right type with exit 1, no row is lost, and the
 * password shows nowhere.
 */
class HostileInputIT {
  static final String DATABASE = "e2e_hostile";
  static final String USER = "e2e_hostile_user";
  static final String PASSWORD = "h0stile-Pa55-w0rd!";
  /** Rows in the FLOAT-keyed table: more than one 100,000-row page, most of them printed alike. */
  static final int READINGS = 100_003;
  /** A value larger than the small heap of the run that reads it, smaller than the server's max_allowed_packet. */
  static final int LARGE_VALUE_BYTES = 15_000_000;

  @TempDir
  static Path dir;

  @BeforeAll
  static void schema() throws Exception {
    // a database and user of its own: other end-to-end classes drop and recreate e2e_user
    MariaDb.execute("DROP DATABASE IF EXISTS " + DATABASE + "; CREATE DATABASE " + DATABASE + "; USE " + DATABASE + ";"
        // 1 + n/2^23: distinct FLOATs that MariaDB prints with 6 digits, most as "1.00xxx" alike
        + " CREATE TABLE readings (x FLOAT NOT NULL PRIMARY KEY);"
        + " INSERT INTO readings SELECT 1 + seq / 8388608 FROM seq_1_to_" + READINGS + ";"
        + " CREATE TABLE many (id INT NOT NULL PRIMARY KEY, v VARCHAR(20));"
        + " INSERT INTO many SELECT seq, CONCAT('row ', seq) FROM seq_1_to_25000;"
        + " CREATE TABLE big (id INT NOT NULL PRIMARY KEY, body LONGTEXT);"
        + " INSERT INTO big VALUES (1, 'small'), (2, REPEAT('x', " + LARGE_VALUE_BYTES + ")), (3, 'after');"
        + " DROP USER IF EXISTS '" + USER + "'@'%'; DROP USER IF EXISTS '" + USER + "'@'localhost';"
        + " CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "';"
        + " CREATE USER '" + USER + "'@'localhost' IDENTIFIED BY '" + PASSWORD + "';"
        + " GRANT ALL ON " + DATABASE + ".* TO '" + USER + "'@'%'; GRANT ALL ON " + DATABASE + ".* TO '" + USER
        + "'@'localhost';");
  }

  private static Path file(String name, String content) throws IOException {
    Path file = Files.createTempFile(dir, name, ".json");
    Files.writeString(file, content);
    return file;
  }

  /** A STANDARD config with {@code extra} fields. */
  private static Path config(String extra) throws IOException {
    return file("config", "{\"host\": \"127.0.0.1\", \"port\": 3306, \"database\": \"" + DATABASE + "\","
        + " \"username\": \"" + USER + "\", \"password\": \"" + PASSWORD + "\", \"tls_mode\": \"disabled\","
        + " \"replication_method\": \"STANDARD\"" + extra + "}");
  }

  /** A configured catalog of one discovered stream, full refresh. */
  private static Path catalog(Path config, String stream) throws Exception {
    ConnectorRun discover = ConnectorRun.of("discover", "--config", config.toString());
    assertEquals(0, discover.exit, discover.toString());
    ArrayNode configured = ConnectorRun.JSON.createArrayNode();
    for (JsonNode discovered : discover.only("CATALOG").path("catalog").path("streams")) {
      if (discovered.path("name").asText().equals(stream)) {
        ObjectNode entry = configured.addObject();
        entry.set("stream", discovered);
        entry.put("sync_mode", "full_refresh");
        entry.put("destination_sync_mode", "overwrite");
      }
    }
    assertEquals(1, configured.size(), stream);
    return file("catalog", ConnectorRun.JSON.createObjectNode().set("streams", configured).toString());
  }

  private static ConnectorRun check(Path config) throws Exception {
    ConnectorRun check = ConnectorRun.of("check", "--config", config.toString());
    check.assertOnlyMessages();
    check.assertNothingContains(PASSWORD);
    assertEquals(0, check.exit, "a failed check is an answer: " + check);
    return check;
  }

  private static JsonNode failedCheck(Path config) throws Exception {
    JsonNode status = check(config).only("CONNECTION_STATUS").path("connectionStatus");
    assertEquals("FAILED", status.path("status").asText(), status.toString());
    return status;
  }

  /** A read or discover that fails: exit 1 and a TRACE ERROR of {@code type} as its last message. */
  private static JsonNode failed(ConnectorRun run, String type) {
    run.assertOnlyMessages();
    run.assertNothingContains(PASSWORD);
    assertEquals(1, run.exit, run.toString());
    JsonNode last = run.messages.get(run.messages.size() - 1);
    assertEquals("ERROR", last.path("trace").path("type").asText(), "the last message is the error: " + run);
    assertEquals(type, run.error().path("failure_type").asText(), run.toString());
    return run.error();
  }

  @Test
  void aFloatKeyLosesNoRowAcrossPagesOrResumes() throws Exception {
    Path config = config("");
    Path catalog = catalog(config, "readings");
    ConnectorRun read = ConnectorRun.of("read", "--config", config.toString(), "--catalog", catalog.toString());
    assertEquals(0, read.exit, read.toString().substring(0, Math.min(2000, read.toString().length())));
    List<JsonNode> rows = read.records("readings");
    assertEquals(READINGS, rows.size(), "every row once");
    assertEquals(List.of("STARTED", "RUNNING", "COMPLETE"), read.statuses("readings"));

    // a STATE from the middle cannot say where a FLOAT key stopped: the resumed read starts over
    ArrayNode midway = ConnectorRun.JSON.createArrayNode().add(read.states("readings").get(0));
    ConnectorRun resumed = ConnectorRun.of("read", "--config", config.toString(), "--catalog", catalog.toString(),
        "--state", file("state", midway.toString()).toString());
    assertEquals(0, resumed.exit);
    assertEquals(READINGS, resumed.records("readings").size(), "nothing lost after a resume");
  }

  /** The first STATE of a full read of {@code many}: its key is 10000. */
  private static String firstStateOfMany(Path config, Path catalog) throws Exception {
    ConnectorRun first = ConnectorRun.of("read", "--config", config.toString(), "--catalog", catalog.toString());
    return first.states("many").get(0).toString();
  }

  @Test
  void aStateOfAnotherDatabaseIsNotAppliedHere() throws Exception {
    Path config = config("");
    Path catalog = catalog(config, "many");
    String state = firstStateOfMany(config, catalog);
    assertTrue(state.contains("\"namespace\":\"e2e_hostile\""), state);

    // the connection's database changed since the state was saved
    ConnectorRun elsewhere = ConnectorRun.of("read", "--config", config.toString(), "--catalog", catalog.toString(),
        "--state", file("state", "[" + state.replace("\"namespace\":\"e2e_hostile\"", "\"namespace\":\"e2e_other_db\"")
            + "]").toString());
    assertEquals(0, elsewhere.exit, elsewhere.toString());
    assertEquals(25_000, elsewhere.records("many").size(), "copied whole, not after the other database's key");
    assertTrue(elsewhere.ofType("LOG").stream().anyMatch(l -> l.path("log").path("level").asText().equals("WARN")
        && l.path("log").path("message").asText().contains("e2e_other_db.many")), elsewhere.toString());

    // a cursor saved for another keyspace under this stream's name: same length, so the protobuf stays valid
    JsonNode error = failed(ConnectorRun.of("read", "--config", config.toString(), "--catalog", catalog.toString(),
        "--state", file("state", "[" + withCursorBytes(state, "e2e_hostile", "e2e_otherdb") + "]").toString()),
        "config_error");
    assertTrue(error.path("message").asText().contains("keyspace e2e_otherdb")
        && error.path("message").asText().endsWith("reset the stream."), error.toString());
  }

  @Test
  void aSavedKeyTheKeyColumnCannotHoldIsAConfigError() throws Exception {
    Path config = config("");
    Path catalog = catalog(config, "many");
    String state = firstStateOfMany(config, catalog);
    for (String bad : List.of("abcde", "1e400", "99e99")) {
      ConnectorRun run = ConnectorRun.of("read", "--config", config.toString(), "--catalog", catalog.toString(),
          "--state", file("state", "[" + withCursorBytes(state, "10000", bad) + "]").toString());
      JsonNode error = failed(run, "config_error");
      assertTrue(error.path("message").asText().startsWith("The state of stream e2e_hostile.many on shard - cannot"
          + " say where its copy stopped"), error.toString());
      assertTrue(error.path("message").asText().endsWith("Reset the stream to copy it again."), error.toString());
      assertTrue(run.ofType("RECORD").isEmpty(), "nothing read as if the table were done");
    }
  }

  /** The state with {@code from} replaced by {@code to} (of the same length) inside its base64 cursor. */
  private static String withCursorBytes(String state, String from, String to) throws IOException {
    assertEquals(from.length(), to.length());
    JsonNode node = ConnectorRun.JSON.readTree(state);
    ObjectNode shard = (ObjectNode) node.path("stream").path("stream_state").path("shards").path("-");
    String cursor = new String(Base64.getDecoder().decode(shard.path("cursor").asText()), StandardCharsets.ISO_8859_1);
    assertTrue(cursor.contains(from), cursor);
    byte[] changed = cursor.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
    shard.put("cursor", Base64.getEncoder().encodeToString(changed));
    return node.toString();
  }

  @Test
  void aValueLargerThanTheHeapEndsWithAnErrorNamingTableKeyAndColumn() throws Exception {
    Path config = config("");
    Path catalog = catalog(config, "big");
    ConnectorRun read = ConnectorRun.of(List.of("-Xmx32m"), "read", "--config", config.toString(), "--catalog",
        catalog.toString());
    JsonNode error = failed(read, "config_error");
    String message = error.path("message").asText();
    assertTrue(message.startsWith("Reading table `big` ran out of memory (maximum heap "), message);
    assertTrue(message.contains("at the row with key id=2: its column body holds " + LARGE_VALUE_BYTES + " bytes."),
        message);
    assertTrue(message.contains("more memory") && message.contains("deselect column body"), message);
    assertEquals(List.of("STARTED", "RUNNING", "INCOMPLETE"), read.statuses("big"));
  }

  @Test
  void numbersPastTheirMaximumAreRefusedAndCheckNeverCrashes() throws Exception {
    for (String timeout : List.of("2147483647", "3000000")) {
      Path config = config(", \"timeout_seconds\": " + timeout);
      assertTrue(failedCheck(config).path("message").asText()
          .contains("timeout_seconds must be a whole number from 1 to 86400"));
      failed(ConnectorRun.of("discover", "--config", config.toString()), "config_error");
    }
  }

  @Test
  void aPortThatAcceptsButNeverAnswersFailsWithinTheTimeout() throws Exception {
    try (LoopbackListener silent = new LoopbackListener(new byte[0])) {
      Path config = file("silent", Files.readString(config(", \"timeout_seconds\": 2"))
          .replace("3306", String.valueOf(silent.port())));
      long start = System.nanoTime();
      String message = failedCheck(config).path("message").asText();
      assertTrue(message.contains("did not answer as a MySQL server within timeout_seconds (2 s)"), message);
      Path catalog = catalog(config(""), "many");
      JsonNode error = failed(ConnectorRun.of("read", "--config", config.toString(), "--catalog", catalog.toString()),
          "config_error");
      assertTrue(error.path("message").asText().contains("did not answer"), error.toString());
      assertTrue(System.nanoTime() - start < 120_000_000_000L, "bounded by the timeout, not hung");
    }
  }

  @Test
  void vstreamAgainstPlainMariaDbSuggestsStandardInEveryCommand() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    // no replication_method: VSTREAM by default, against MariaDB with nothing on grpc_port
    Path config = file("plain", Files.readString(config("")).replace(", \"replication_method\": \"STANDARD\"",
        ", \"grpc_port\": " + closed));
    String expected = "127.0.0.1:3306 is a MySQL server without Vitess, and no VTGate answers on 127.0.0.1:" + closed;
    String message = failedCheck(config).path("message").asText();
    assertTrue(message.startsWith(expected) && message.contains("Set replication_method to STANDARD"), message);
    JsonNode discover = failed(ConnectorRun.of("discover", "--config", config.toString()), "config_error");
    assertTrue(discover.path("message").asText().startsWith(expected), discover.toString());

    Path catalog = catalog(config(""), "many");
    JsonNode read = failed(ConnectorRun.of("read", "--config", config.toString(), "--catalog", catalog.toString()),
        "config_error");
    assertTrue(read.path("message").asText().startsWith(expected), "not a transient error retried forever: " + read);
  }

  @Test
  void aPortSpeakingHttp2IsNotMysql() throws Exception {
    try (LoopbackListener grpc = new LoopbackListener(LoopbackListener.http2Settings())) {
      Path config = file("grpc", Files.readString(config(""))
          .replace("3306", String.valueOf(grpc.port())));
      String message = failedCheck(config).path("message").asText();
      assertTrue(message.startsWith("127.0.0.1:" + grpc.port() + " answered, but not as a MySQL server does"), message);
      assertFalse(message.contains("out of bounds") || message.contains("max_allowed_packet"), message);
    }
  }

  @Test
  void hostsWithAPortOrCredentialsAreExplained() throws Exception {
    String withPort = failedCheck(file("host-port", Files.readString(config(""))
        .replace("\"127.0.0.1\"", "\"127.0.0.1:3306\""))).path("message").asText();
    assertTrue(withPort.contains("put \"127.0.0.1\" in host and the port number in port"), withPort);

    Path credentials = file("host-credentials", Files.readString(config(""))
        .replace("\"127.0.0.1\"", "\"" + USER + ":" + PASSWORD + "@127.0.0.1\""));
    String message = failedCheck(credentials).path("message").asText();
    assertTrue(message.contains("holds a user name or password before '@'"), message);
    assertFalse(message.contains("IPv6"), message);
  }

  @Test
  void aOneLetterPasswordDoesNotMaskEveryWord() throws Exception {
    Path config = file("short", Files.readString(config("")).replace(PASSWORD, "a"));
    ConnectorRun check = ConnectorRun.of("check", "--config", config.toString());
    String message = check.only("CONNECTION_STATUS").path("connectionStatus").path("message").asText();
    assertTrue(message.startsWith("wrong user name or password for user " + USER + " on 127.0.0.1:3306"), message);
  }

  @Test
  void aConfigWithAHugeStringSaysWhichLimitItPassed() throws Exception {
    Path config = file("huge", Files.readString(config(""))
        .replace("}", ", \"cells\": \"" + "z".repeat(30 * 1024 * 1024) + "\"}"));
    String message = failedCheck(config).path("message").asText();
    assertTrue(message.contains("String value length") && message.contains("20000000"), message);
    failed(ConnectorRun.of("discover", "--config", config.toString()), "config_error");
  }
}
