package dev.sourcevitess.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar as a process, each command, against the local MariaDB, read line by line. */
class StandardEndToEndIT {
  static final String PASSWORD = "e2e-Pa55-w0rd!";

  @TempDir
  static Path dir;

  @BeforeAll
  static void loadSchema() throws Exception {
    MariaDb.script("/e2e_types.sql");
  }

  static Path config(String extra) throws Exception {
    Path file = Files.createTempFile(dir, "config", ".json");
    Files.writeString(file, "{\"host\": \"127.0.0.1\", \"port\": 3306, \"database\": \"e2e_types\","
        + " \"username\": \"e2e_user\", \"password\": \"" + PASSWORD + "\", \"tls_mode\": \"disabled\","
        + " \"replication_method\": \"STANDARD\"" + extra + "}");
    return file;
  }

  static Path file(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  /** A configured catalog of the discovered streams, each full refresh. */
  static Path catalogOf(ConnectorRun discover, String... streams) throws Exception {
    ArrayNode configured = ConnectorRun.JSON.createArrayNode();
    Set<String> wanted = Set.of(streams);
    for (JsonNode stream : discover.only("CATALOG").path("catalog").path("streams")) {
      if (wanted.contains(stream.path("name").asText())) {
        ObjectNode entry = configured.addObject();
        entry.set("stream", stream);
        entry.put("sync_mode", "full_refresh");
        entry.put("destination_sync_mode", "overwrite");
      }
    }
    ObjectNode root = ConnectorRun.JSON.createObjectNode();
    root.set("streams", configured);
    return file("catalog-" + String.join("-", streams).replaceAll("\\W", "_") + ".json", root.toString());
  }

  @Test
  void specDescribesEveryConfigField() throws Exception {
    ConnectorRun spec = ConnectorRun.of("spec");
    assertEquals(0, spec.exit, spec.toString());
    JsonNode properties = spec.only("SPEC").path("spec").path("connectionSpecification").path("properties");
    for (String field : List.of("host", "port", "grpc_port", "database", "username", "password", "tls_mode",
        "replication_method", "shards", "use_replica", "use_rdonly", "include_metadata", "starting_gtids",
        "max_retries", "timeout_seconds", "use_gtid_with_table_pks", "options", "cells", "concurrency")) {
      assertTrue(properties.has(field), field);
    }
    assertTrue(properties.path("password").path("airbyte_secret").asBoolean());
  }

  @Test
  void checkSucceedsNamingDatabaseHostAndUser() throws Exception {
    ConnectorRun check = ConnectorRun.of("check", "--config", config("").toString());
    assertEquals(0, check.exit, check.toString());
    JsonNode status = check.only("CONNECTION_STATUS").path("connectionStatus");
    assertEquals("SUCCEEDED", status.path("status").asText());
    String message = status.path("message").asText();
    assertTrue(message.contains("e2e_types") && message.contains("127.0.0.1") && message.contains("e2e_user"), message);
    check.assertNothingContains(PASSWORD);
  }

  @Test
  void checkFailuresSayWhatToFixAndExitZero() throws Exception {
    String wrong = "Wr0ng-Secret-77";

    Path wrongPassword = file("wrong-password.json", Files.readString(config("")).replace(PASSWORD, wrong));
    ConnectorRun denied = ConnectorRun.of("check", "--config", wrongPassword.toString());
    assertEquals(0, denied.exit);
    JsonNode status = denied.only("CONNECTION_STATUS").path("connectionStatus");
    assertEquals("FAILED", status.path("status").asText());
    assertTrue(status.path("message").asText().contains("e2e_user"), status.toString());
    denied.assertNothingContains(wrong);

    Path unknownDb = file("unknown-db.json", Files.readString(config("")).replace("\"e2e_types\"", "\"no_such_db\""));
    ConnectorRun missing = ConnectorRun.of("check", "--config", unknownDb.toString());
    assertTrue(missing.only("CONNECTION_STATUS").path("connectionStatus").path("message").asText()
        .contains("no_such_db"), missing.toString());

    Path closedPort = file("closed-port.json", Files.readString(config("")).replace("3306", "1"));
    ConnectorRun unreachable = ConnectorRun.of("check", "--config", closedPort.toString());
    JsonNode down = unreachable.only("CONNECTION_STATUS").path("connectionStatus");
    assertEquals("FAILED", down.path("status").asText());
    assertTrue(down.path("message").asText().contains("127.0.0.1"), down.toString());
  }

  @Test
  void badConfigFilesAreNamedPrecisely() throws Exception {
    ConnectorRun malformed = ConnectorRun.of("check", "--config", file("malformed.json", "{\"host\": ").toString());
    assertEquals(0, malformed.exit);
    assertEquals("FAILED", malformed.only("CONNECTION_STATUS").path("connectionStatus").path("status").asText());

    ConnectorRun missingField = ConnectorRun.of("discover", "--config",
        file("no-host.json", "{\"database\": \"x\", \"username\": \"u\", \"password\": \"" + PASSWORD + "\"}")
            .toString());
    assertEquals(1, missingField.exit);
    JsonNode error = missingField.error();
    assertEquals("config_error", error.path("failure_type").asText());
    assertTrue(error.path("message").asText().contains("host"), error.toString());
    missingField.assertNothingContains(PASSWORD);

    ConnectorRun badMethod = ConnectorRun.of("discover", "--config", file("binlog.json",
        Files.readString(config("")).replace("\"STANDARD\"", "\"BINLOG\"")).toString());
    assertEquals(1, badMethod.exit);
    assertTrue(badMethod.error().path("message").asText().contains("replication_method"), badMethod.toString());

    ConnectorRun wrongType = ConnectorRun.of("discover", "--config",
        file("bad-port.json", Files.readString(config("")).replace("3306", "\"three\"")).toString());
    assertEquals(1, wrongType.exit);
    assertTrue(wrongType.error().path("message").asText().contains("port"), wrongType.toString());

    ConnectorRun noFile = ConnectorRun.of("discover", "--config", dir.resolve("absent.json").toString());
    assertEquals(1, noFile.exit);
    assertEquals("config_error", noFile.error().path("failure_type").asText());
  }

  @Test
  void discoverListsBaseTablesWithTypesKeysAndModes() throws Exception {
    ConnectorRun discover = ConnectorRun.of("discover", "--config", config("").toString());
    assertEquals(0, discover.exit, discover.toString());
    discover.assertOnlyMessages();
    Set<String> names = new TreeSet<>();
    JsonNode everyType = null;
    JsonNode orderLines = null;
    for (JsonNode stream : discover.only("CATALOG").path("catalog").path("streams")) {
      names.add(stream.path("name").asText());
      assertEquals("e2e_types", stream.path("namespace").asText());
      assertEquals(List.of("full_refresh"), texts(stream.path("supported_sync_modes")));
      if (stream.path("name").asText().equals("every_type")) {
        everyType = stream;
      }
      if (stream.path("name").asText().equals("order_lines")) {
        orderLines = stream;
      }
    }
    assertEquals(new TreeSet<>(List.of("every_type", "keyless", "many", "my table", "my_vt_hld_notes", "order",
        "order_lines", "we`ird")), names, "views and Vitess's own tables are left out");
    assertEquals("[[\"order_id\"],[\"shop\"],[\"line\"]]", orderLines.path("source_defined_primary_key").toString());
    JsonNode p = everyType.path("json_schema").path("properties");
    assertEquals("[\"null\",\"boolean\"]", p.path("flag").path("type").toString());
    assertEquals("integer", p.path("ubi").path("airbyte_type").asText());
    assertEquals("number", p.path("id").path("type").asText(), "a NOT NULL column is not nullable");
    assertEquals("date", p.path("d").path("format").asText());
    assertEquals("timestamp_without_timezone", p.path("dt").path("airbyte_type").asText());
    assertEquals("timestamp_with_timezone", p.path("ts").path("airbyte_type").asText());
    assertEquals("time_without_timezone", p.path("tm").path("airbyte_type").asText());
    assertFalse(p.path("dec1").has("airbyte_type"));
  }

  @Test
  void readWritesEveryTypeExactly() throws Exception {
    Path config = config("");
    ConnectorRun discover = ConnectorRun.of("discover", "--config", config.toString());
    Path catalog = catalogOf(discover, "every_type", "order_lines", "keyless", "order", "my table", "we`ird");
    ConnectorRun read = ConnectorRun.of("read", "--config", config.toString(), "--catalog", catalog.toString());
    assertEquals(0, read.exit, read.toString());
    read.assertOnlyMessages();
    read.assertNothingContains(PASSWORD);

    List<JsonNode> rows = read.records("every_type");
    assertEquals(3, rows.size());
    JsonNode empty = rows.get(0);
    assertTrue(empty.path("flag").isNull() && empty.path("d").isNull() && empty.path("geo").isNull());
    assertEquals("1970-01-01", empty.path("dnn").asText(), "a NOT NULL zero date is the epoch");

    JsonNode edge = rows.get(1);
    assertTrue(edge.path("flag").booleanValue() && edge.path("bit1").booleanValue());
    assertEquals("AAU=", edge.path("bits").asText());
    assertEquals(new BigInteger("18446744073709551615"), edge.path("ubi").bigIntegerValue());
    assertTrue(read.lines.stream().anyMatch(l -> l.contains("\"ubi\":18446744073709551615")));
    assertEquals(new BigInteger("-9223372036854775808"), edge.path("bi").bigIntegerValue());
    assertEquals(BigInteger.valueOf(42), edge.path("zf").bigIntegerValue(), "zero fill is not part of the number");
    assertEquals(2024, edge.path("yr").intValue());
    assertEquals(0, new BigDecimal("-0.2500").compareTo(edge.path("dec1").decimalValue()));
    assertTrue(read.lines.stream().anyMatch(l -> l.contains("\"dec1\":-0.2500")), "decimals keep their digits");
    assertEquals("2024-02-29", edge.path("d").asText());
    assertEquals("2024-02-29T13:45:00", edge.path("dt").asText());
    assertEquals("2024-02-29T13:45:00.123456", edge.path("dt6").asText());
    assertEquals("2024-02-29T11:45:00Z", edge.path("ts").asText(), "timestamps in UTC");
    assertEquals("13:45:00", edge.path("tm").asText());
    assertEquals("", edge.path("c").asText());
    assertEquals("Zoë 🚀 日本", edge.path("vc").asText());
    assertEquals("medium", edge.path("en").asText());
    assertEquals("a,c", edge.path("st").asText());
    assertEquals(ConnectorRun.JSON.readTree("{\"k\": [1, 2]}"), ConnectorRun.JSON.readTree(edge.path("js").asText()));
    assertEquals("AP8QgA==", edge.path("bin").asText());
    assertEquals("wyg=", edge.path("vb").asText(), "invalid UTF-8 travels as base64");
    assertEquals("", edge.path("bl").asText());
    assertTrue(edge.path("geo").isTextual());

    JsonNode quoted = rows.get(2);
    assertFalse(quoted.path("flag").booleanValue());
    assertEquals(0, new BigDecimal("0.5").compareTo(quoted.path("dec1").decimalValue()));
    assertTrue(read.lines.stream().anyMatch(l -> l.contains("\"dec1\":0.5000")));
    assertTrue(quoted.path("d").isNull() && quoted.path("dt").isNull(), "nullable zero dates are null");
    assertEquals("it's \"quoted\" \\ back", quoted.path("vc").asText());

    assertEquals(List.of("9/1/1", "10/1/1", "10/1/2", "10/2/1"), read.records("order_lines").stream()
        .map(r -> r.path("order_id").asText() + "/" + r.path("shop").asText() + "/" + r.path("line").asText())
        .toList(), "composite keys in key order");
    assertEquals(3, read.records("keyless").size());
    assertEquals("reserved", read.records("order").get(0).path("from").asText());
    assertEquals(7, read.records("my table").get(0).path("my id").intValue());
    assertEquals(3, read.records("we`ird").get(0).path("a`b").intValue());

    for (String stream : List.of("every_type", "order_lines", "keyless", "order", "my table", "we`ird")) {
      assertEquals(List.of("STARTED", "RUNNING", "COMPLETE"), read.statuses(stream), stream);
    }
    assertTrue(read.ofType("TRACE").stream().anyMatch(t -> t.path("trace").path("type").asText().equals("ESTIMATE")));
    assertTrue(read.ofType("STATE").stream().allMatch(s -> s.path("state").path("type").asText().equals("STREAM")));
  }

  @Test
  void statesEveryTenThousandRecordsResumeAfterTheirKey() throws Exception {
    Path config = config("");
    Path catalog = catalogOf(ConnectorRun.of("discover", "--config", config.toString()), "many");
    ConnectorRun read = ConnectorRun.of("read", "--config", config.toString(), "--catalog", catalog.toString());
    assertEquals(0, read.exit, read.toString());
    assertEquals(25_000, read.records("many").size());
    List<JsonNode> states = read.states("many");
    assertEquals(List.of(10_000.0, 10_000.0, 5_000.0), states.stream()
        .map(s -> s.path("sourceStats").path("recordCount").doubleValue()).toList());

    ArrayNode midway = ConnectorRun.JSON.createArrayNode().add(states.get(0));
    Path state = file("state-many.json", midway.toString());
    ConnectorRun resumed = ConnectorRun.of("read", "--config", config.toString(), "--catalog", catalog.toString(),
        "--state", state.toString());
    assertEquals(0, resumed.exit, resumed.toString());
    List<JsonNode> rest = resumed.records("many");
    assertEquals(15_000, rest.size());
    assertEquals(10_001, rest.get(0).path("id").intValue());
  }

  @Test
  void badCatalogAndStateFilesAreConfigErrors() throws Exception {
    Path config = config("");
    ConnectorRun badCatalog = ConnectorRun.of("read", "--config", config.toString(), "--catalog",
        file("bad-catalog.json", "{\"streams\": [{\"stream\": {\"name\": \"many\"}, \"sync_mode\": \"sometimes\"}]}")
            .toString());
    assertEquals(1, badCatalog.exit);
    assertEquals("config_error", badCatalog.error().path("failure_type").asText());
    assertTrue(badCatalog.error().path("message").asText().contains("sync_mode"), badCatalog.toString());
    assertTrue(badCatalog.ofType("RECORD").isEmpty());

    Path catalog = catalogOf(ConnectorRun.of("discover", "--config", config.toString()), "many");
    ConnectorRun badState = ConnectorRun.of("read", "--config", config.toString(), "--catalog", catalog.toString(),
        "--state", file("bad-state.json", "[{\"type\": \"STREAM\", \"stream\": {\"stream_descriptor\": {\"name\":"
            + " \"many\", \"namespace\": \"e2e_types\"}, \"stream_state\": {\"shards\": {\"-\": {\"cursor\":"
            + " \"bm90IGEgY3Vyc29y\"}}}}}]").toString());
    assertEquals(1, badState.exit);
    assertEquals("config_error", badState.error().path("failure_type").asText());
    assertTrue(badState.error().path("message").asText().contains("many"), badState.toString());
    assertTrue(badState.ofType("RECORD").isEmpty(), "nothing is read from a state that cannot be read");

    ConnectorRun goneTable = ConnectorRun.of("read", "--config", config.toString(), "--catalog",
        file("gone.json", Files.readString(catalog).replace("\"name\":\"many\"", "\"name\":\"dropped\"")).toString());
    assertEquals(1, goneTable.exit);
    assertTrue(goneTable.error().path("message").asText().contains("no table dropped in e2e_types"),
        goneTable.toString());
    assertEquals(List.of("INCOMPLETE"), goneTable.statuses("dropped"), "a terminal status for the missing stream");
  }

  @Test
  void aDatabaseThatGoesAwayFailsTheReadWithATransientError() throws Exception {
    Path config = file("unreachable.json", Files.readString(config("")).replace("3306", "1"));
    Path catalog = catalogOf(ConnectorRun.of("discover", "--config", config("").toString()), "many");
    ConnectorRun read = ConnectorRun.of("read", "--config", config.toString(), "--catalog", catalog.toString());
    assertEquals(1, read.exit);
    JsonNode error = read.error();
    assertTrue(List.of("config_error", "transient_error").contains(error.path("failure_type").asText()));
    assertTrue(error.path("message").asText().contains("127.0.0.1"), error.toString());
    read.assertNothingContains(PASSWORD);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
