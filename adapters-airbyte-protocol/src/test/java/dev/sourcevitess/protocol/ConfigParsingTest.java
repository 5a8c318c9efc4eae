package dev.sourcevitess.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.ReplicationMethod;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.TlsMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigParsingTest {
  private static final String PASSWORD = "hunter2-Secret";
  private static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

  @TempDir
  Path dir;

  private final CountingOutputStream stdout = new CountingOutputStream();
  private final AirbyteProtocol protocol =
      AirbyteProtocol.create(stdout, Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC));

  private Path file(String json) throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(file, json, StandardCharsets.UTF_8);
    return file;
  }

  /** The smallest valid config with {@code extra} fields added. */
  private Path config(String extra) throws IOException {
    return file("{\"host\": \"db.example.com\", \"database\": \"shop\", \"username\": \"reader\", \"password\": \""
        + PASSWORD + "\"" + (extra.isEmpty() ? "" : ", " + extra) + "}");
  }

  @Test
  void appliesDefaults() throws IOException {
    SourceConfig c = protocol.parseConfig(config(""));
    assertEquals("db.example.com", c.host());
    assertEquals(3306, c.port());
    assertEquals(443, c.grpcPort());
    assertEquals("shop", c.database());
    assertEquals("reader", c.username());
    assertEquals(PASSWORD, c.password().value());
    assertEquals(TlsMode.VERIFY_IDENTITY, c.tlsMode());
    assertEquals(ReplicationMethod.VSTREAM, c.replicationMethod());
    assertEquals(List.of(), c.shards());
    assertFalse(c.useReplica());
    assertFalse(c.useRdonly());
    assertFalse(c.includeMetadata());
    assertEquals(Map.of(), c.startingGtids());
    assertEquals(3, c.maxRetries());
    assertEquals(300, c.timeoutSeconds());
    assertTrue(c.useGtidWithTablePks());
    assertTrue(c.tinyIntAsBoolean());
    assertEquals(Optional.empty(), c.cells());
    assertEquals(4, c.concurrency());
  }

  @Test
  void readsEveryField() throws IOException {
    SourceConfig c = protocol.parseConfig(config("""
        "port": "13306", "grpc_port": 15991, "tls_mode": "REQUIRED", "replication_method": "standard",
        "shards": " -80 , ,80- ,-80", "use_replica": true, "use_rdonly": "true", "include_metadata": true,
        "starting_gtids": "{\\"shop\\": {\\"-80\\": \\"MySQL56/%1$s:1-100\\", \\"80-\\": \\"%1$s:1-5, %1$s:7\\"}}",
        "max_retries": 0, "timeout_seconds": 60.0, "use_gtid_with_table_pks": false,
        "options": {"do_not_treat_tiny_int_as_boolean": true}, "cells": " zone1 ", "concurrency": 64,
        "unknown_field": {"ignored": [1, 2]}""".formatted(UUID)));
    assertEquals(13306, c.port());
    assertEquals(15991, c.grpcPort());
    assertEquals(TlsMode.REQUIRED, c.tlsMode());
    assertEquals(ReplicationMethod.STANDARD, c.replicationMethod());
    assertEquals(List.of(new Shard("-80"), new Shard("80-")), c.shards());
    assertTrue(c.useReplica());
    assertTrue(c.useRdonly());
    assertTrue(c.includeMetadata());
    assertEquals(Map.of("shop", Map.of(
        new Shard("-80"), "MySQL56/" + UUID + ":1-100",
        new Shard("80-"), "MySQL56/" + UUID + ":1-5," + UUID + ":7")), c.startingGtids());
    assertEquals(0, c.maxRetries());
    assertEquals(60, c.timeoutSeconds());
    assertFalse(c.useGtidWithTablePks());
    assertFalse(c.tinyIntAsBoolean());
    assertEquals(Optional.of("zone1"), c.cells());
    assertEquals(64, c.concurrency());
  }

  @Test
  void acceptsMariaDbStartingGtidsWithOrWithoutTheirPrefix() throws IOException {
    SourceConfig c = protocol.parseConfig(config(
        "\"starting_gtids\": {\"shop\": {\"-80\": \"MariaDB/0-100-57\", \"80-\": \" 0-101-9,\\n1-7-3 \"}}"));
    assertEquals(Map.of("shop", Map.of(
        new Shard("-80"), "MariaDB/0-100-57",
        new Shard("80-"), "MariaDB/0-101-9,1-7-3")), c.startingGtids());
  }

  @Test
  void acceptsStartingGtidsAsAnObjectAndEmptyValuesAsDefaults() throws IOException {
    SourceConfig c = protocol.parseConfig(config(
        "\"starting_gtids\": {\"shop\": {\"-\": \"MySQL56/" + UUID + ":1-9\"}}, \"cells\": \"\", \"shards\": \"\""));
    assertEquals(Map.of("shop", Map.of(Shard.UNSHARDED, "MySQL56/" + UUID + ":1-9")), c.startingGtids());
    assertEquals(Optional.empty(), c.cells());
    assertEquals(List.of(), c.shards());

    SourceConfig empty = protocol.parseConfig(config("\"starting_gtids\": \"\", \"port\": null, \"options\": {}"));
    assertEquals(Map.of(), empty.startingGtids());
    assertEquals(3306, empty.port());
    assertTrue(empty.tinyIntAsBoolean());
  }

  /** Each refusal names the field and what is expected, and never shows the password. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      // missing required fields
      "`\"database\": \"shop\", \"username\": \"u\", \"password\": \"hunter2-Secret\"`|host is required",
      "`\"host\": \"h\", \"username\": \"u\", \"password\": \"hunter2-Secret\"`|database is required",
      "`\"host\": \"h\", \"database\": \"shop\", \"password\": \"hunter2-Secret\"`|username is required",
      "`\"host\": \"h\", \"database\": \"shop\", \"username\": \"u\"`|password is required",
      "`\"host\": \"  \", \"database\": \"shop\", \"username\": \"u\", \"password\": \"x\"`|host must be a non-empty string",
      // wrong types
      "`BASE, \"port\": true`|port must be a whole number from 1 to 65535, got true",
      "`BASE, \"port\": \"abc\"`|port must be a whole number from 1 to 65535, got \"abc\"",
      "`BASE, \"port\": 3306.5`|port must be a whole number from 1 to 65535, got the number 3306.5",
      "`BASE, \"use_replica\": \"yes\"`|use_replica must be true or false, got \"yes\"",
      "`BASE, \"include_metadata\": 1`|include_metadata must be true or false, got the number 1",
      "`BASE, \"shards\": [\"-80\"]`|shards must be a comma-separated list of shard names",
      "`BASE, \"cells\": 5`|cells must be a string, got the number 5",
      "`BASE, \"options\": \"x\"`|options must be an object",
      "`BASE, \"options\": {\"do_not_treat_tiny_int_as_boolean\": \"maybe\"}`"
          + "|options.do_not_treat_tiny_int_as_boolean must be true or false, got \"maybe\"",
      "`\"host\": [\"h\"], \"database\": \"shop\", \"username\": \"u\", \"password\": \"x\"`"
          + "|host must be a string: the host name of the database",
      "`\"host\": \"https://h.example.com\", \"database\": \"d\", \"username\": \"u\", \"password\": \"pw-1\"`"
          + "|host must be a host name such as aws.connect.psdb.cloud, without a scheme, port or path",
      // out of range
      "`BASE, \"port\": 0`|port must be a whole number from 1 to 65535, got the number 0",
      "`BASE, \"grpc_port\": \"70000\"`|grpc_port must be a whole number from 1 to 65535, got \"70000\"",
      "`BASE, \"port\": 99999999999999999999`|port must be a whole number from 1 to 65535",
      "`BASE, \"concurrency\": 65`|concurrency must be a whole number from 1 to 64, got the number 65",
      "`BASE, \"concurrency\": 0`|concurrency must be a whole number from 1 to 64",
      "`BASE, \"max_retries\": -1`|max_retries must be a whole number from 0 to 100, got the number -1",
      "`BASE, \"max_retries\": 101`|max_retries must be a whole number from 0 to 100, got the number 101",
      "`BASE, \"timeout_seconds\": 0`|timeout_seconds must be a whole number from 1 to 86400",
      // milliseconds of these overflowed an int once (a system_error, and check exited 1)
      "`BASE, \"timeout_seconds\": 2147483647`|timeout_seconds must be a whole number from 1 to 86400",
      "`BASE, \"timeout_seconds\": 3000000`|timeout_seconds must be a whole number from 1 to 86400",
      "`BASE, \"timeout_seconds\": \"86401\"`|timeout_seconds must be a whole number from 1 to 86400",
      // unknown enum values
      "`BASE, \"tls_mode\": \"strict\"`|tls_mode must be one of verify_identity, required or disabled, got \"strict\"",
      "`BASE, \"replication_method\": \"binlog\"`|replication_method must be one of VSTREAM or STANDARD, got \"binlog\"",
      "`BASE, \"replication_method\": {\"method\": \"VSTREAM\"}`|replication_method must be one of VSTREAM or STANDARD",
      // unparsable starting_gtids
      "`BASE, \"starting_gtids\": \"{not json\"`|starting_gtids is not valid JSON at line 1",
      "`BASE, \"starting_gtids\": \"[1]\"`|starting_gtids must be a JSON object of keyspace to shard to position",
      "`BASE, \"starting_gtids\": 5`|starting_gtids must be a JSON object of keyspace to shard to position",
      "`BASE, \"starting_gtids\": {\"shop\": \"x\"}`|starting_gtids[\"shop\"] must be an object of shard to position",
      "`BASE, \"starting_gtids\": {\"shop\": {\"-\": 5}}`"
          + "|starting_gtids[\"shop\"][\"-\"] must be a GTID position such as \"MySQL56/<uuid>:1-100\" or"
          + " \"MariaDB/0-100-57\", got the number 5",
      "`BASE, \"starting_gtids\": {\"shop\": {\"-\": \"MySQL56/nonsense\"}}`"
          + "|starting_gtids[\"shop\"][\"-\"] must be a GTID position such as \"MySQL56/<uuid>:1-100\" or"
          + " \"MariaDB/0-100-57\", got \"MySQL56/nonsense\"",
      "`BASE, \"starting_gtids\": {\"shop\": {\"-\": \"MariaDB/0-100\"}}`"
          + "|got \"MariaDB/0-100\" (position 'MariaDB/0-100': '0-100' is not <domain>-<server>-<sequence>",
      "`BASE, \"starting_gtids\": {\"shop\": {\"-\": \"0-1-5,0-2-9\"}}`|domain 0 appears twice",
      "`BASE, \"starting_gtids\": {\"shop\": {\"-\": \"nonsense\"}}`"
          + "|got \"nonsense\" (position 'nonsense' is neither a MySQL56 GTID set",
      "`BASE, \"starting_gtids\": {\"shop\": {\"-\": \"FilePos/mysql-bin.000001:4\"}}`|has the flavor 'FilePos'",
      "`BASE, \"starting_gtids\": {\"\": {\"-\": \"x\"}}`|starting_gtids must be keyspace names that are not empty",
  })
  void refusesBadFields(String fields, String expected) throws IOException {
    String base = "\"host\": \"h\", \"database\": \"shop\", \"username\": \"u\", \"password\": \"" + PASSWORD + "\"";
    SourceException e = assertThrows(SourceException.class,
        () -> protocol.parseConfig(file("{" + fields.replace("BASE", base) + "}")));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().startsWith("Invalid config: "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
  }

  @Test
  void neverShowsThePasswordOfAWrongType() throws IOException {
    SourceException e = assertThrows(SourceException.class, () -> protocol.parseConfig(file(
        "{\"host\": \"h\", \"database\": \"d\", \"username\": \"u\", \"password\": 424242}")));
    assertEquals("Invalid config: password must be a string, got a number.", e.getMessage());
  }

  @Test
  void hidesThePasswordWhenAnotherFieldEchoesIt() throws IOException {
    SourceException e = assertThrows(SourceException.class, () -> protocol.parseConfig(file(
        "{\"host\": \"h\", \"database\": \"d\", \"username\": \"u\", \"password\": \"" + PASSWORD + "\","
            + " \"tls_mode\": \"" + PASSWORD + "\"}")));
    assertEquals("Invalid config: tls_mode must be one of verify_identity, required or disabled, got \"******\".",
        e.getMessage());
  }

  @Test
  void refusesMalformedJsonWithoutQuotingIt() throws IOException {
    SourceException e = assertThrows(SourceException.class, () -> protocol.parseConfig(file(
        "{\"host\": \"h\",\n \"password\": " + PASSWORD + "}")));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().contains("is not valid JSON at line 2, column"), e.getMessage());
    assertTrue(e.getMessage().endsWith("expected a JSON object with at least host, database, username and password."),
        e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertFalse(e.detail().contains("hunter2"), e.detail());
  }

  @Test
  void refusesTrailingGarbage() throws IOException {
    SourceException e = assertThrows(SourceException.class, () -> protocol.parseConfig(file("{} {}")));
    assertTrue(e.getMessage().contains("is not valid JSON"), e.getMessage());
  }

  @Test
  void refusesMissingEmptyAndNonObjectFiles() throws IOException {
    Path missing = dir.resolve("nope.json");
    SourceException gone = assertThrows(SourceException.class, () -> protocol.parseConfig(missing));
    assertEquals("The config file " + missing + " does not exist; expected a JSON object with at least host,"
        + " database, username and password.", gone.getMessage());

    SourceException directory = assertThrows(SourceException.class, () -> protocol.parseConfig(dir));
    assertTrue(directory.getMessage().contains("is a directory"), directory.getMessage());

    SourceException empty = assertThrows(SourceException.class, () -> protocol.parseConfig(file("  \n")));
    assertTrue(empty.getMessage().contains("is empty"), empty.getMessage());

    SourceException array = assertThrows(SourceException.class, () -> protocol.parseConfig(file("[]")));
    assertTrue(array.getMessage().contains("holds an array; expected a JSON object"), array.getMessage());
  }

  @Test
  void aHostWithCredentialsIsRefusedWithoutShowingThem() throws IOException {
    SourceException e = assertThrows(SourceException.class, () -> protocol.parseConfig(file(
        "{\"host\": \"reader:" + PASSWORD + "@db.example.com\", \"database\": \"d\", \"username\": \"u\","
            + " \"password\": \"" + PASSWORD + "\"}")));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().contains("holds a user name or password before '@'"), e.getMessage());
    assertFalse(e.getMessage().contains("reader") || e.getMessage().contains("hunter2"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "127.0.0.1:3306|\"127.0.0.1\" in host and the port number in port",
      "db.example.com:|\"db.example.com\" in host",
      "[::1]:3306|\"[::1]\" in host",
  })
  void aHostWithAPortPointsToThePortField(String host, String expected) throws IOException {
    SourceException e = assertThrows(SourceException.class, () -> protocol.parseConfig(file(
        "{\"host\": \"" + host + "\", \"database\": \"d\", \"username\": \"u\", \"password\": \"" + PASSWORD + "\"}")));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertFalse(e.getMessage().contains("IPv6"), e.getMessage());
  }

  @Test
  void ipv6AddressesAreHosts() throws IOException {
    assertEquals("::1", protocol.parseConfig(file(
        "{\"host\": \"::1\", \"database\": \"d\", \"username\": \"u\", \"password\": \"x\"}")).host());
  }

  @Test
  void aValuePastTheReadersLimitsSaysWhichLimit() throws IOException {
    SourceException e = assertThrows(SourceException.class, () -> protocol.parseConfig(file(
        "{\"host\": \"h\", \"database\": \"d\", \"username\": \"u\", \"password\": \"x\", \"cells\": \""
            + "z".repeat(30 * 1024 * 1024) + "\"}")));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().contains("holds a value larger than this connector reads (String value length"),
        e.getMessage());
    assertTrue(e.getMessage().contains("exceeds the maximum allowed (20000000"), e.getMessage());
    assertFalse(e.getMessage().contains("not valid JSON"), e.getMessage());
  }

  @Test
  void hidesThePasswordInLaterOutput() throws IOException {
    protocol.parseConfig(config(""));
    protocol.log(dev.sourcevitess.domain.model.LogLevel.INFO, "connecting with " + PASSWORD);
    assertEquals("{\"type\":\"LOG\",\"log\":{\"level\":\"INFO\",\"message\":\"connecting with ******\"}}\n",
        stdout.text());
  }
}
