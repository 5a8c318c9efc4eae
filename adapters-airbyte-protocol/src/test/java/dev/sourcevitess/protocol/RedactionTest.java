package dev.sourcevitess.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.Secret;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.SqlText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactionTest {
  private static final String PASSWORD = "p@ss word!";

  private final CountingOutputStream stdout = new CountingOutputStream();
  private final AirbyteProtocol protocol = AirbyteProtocol.create(stdout, Clock.systemUTC());

  @Test
  void hidesThePasswordInEveryMessageWithText() {
    protocol.log(LogLevel.INFO, "before: " + PASSWORD);
    protocol.redact(new Secret(PASSWORD));
    protocol.log(LogLevel.INFO, "after: " + PASSWORD);
    protocol.readOutput().log(LogLevel.ERROR, "jdbc:mysql://u:p%40ss+word%21@h/db and " + PASSWORD + PASSWORD);
    protocol.error(FailureType.CONFIG_ERROR, "Access denied for password " + PASSWORD, "detail " + PASSWORD);
    protocol.readOutput().error(FailureType.SYSTEM_ERROR, PASSWORD, PASSWORD);
    protocol.connectionStatus(false, "Could not log in with " + PASSWORD);
    String[] lines = stdout.lines();
    // only what was written before the password was known still shows it
    assertTrue(lines[0].contains(PASSWORD));
    for (int i = 1; i < lines.length; i++) {
      assertFalse(lines[i].contains("p@ss"), lines[i]);
      assertFalse(lines[i].contains("p%40ss"), lines[i]);
    }
    assertTrue(lines[1].contains("\"message\":\"after: ******\""), lines[1]);
    assertTrue(lines[2].contains("\"message\":\"jdbc:mysql://u:******@h/db and ************\""), lines[2]);
    assertTrue(lines[3].contains("\"message\":\"Access denied for password ******\""), lines[3]);
    assertTrue(lines[3].contains("\"internal_message\":\"detail ******\""), lines[3]);
    assertTrue(lines[4].contains("\"message\":\"******\",\"internal_message\":\"******\""), lines[4]);
    assertTrue(lines[5].contains("\"message\":\"Could not log in with ******\""), lines[5]);
  }

  @Test
  void hidesTheConfiguredPasswordInTheStatementsALogQuotesWhereverItStands() {
    protocol.redact(new Secret(PASSWORD));
    // where no credential clause holds it, only the configured password's own masking finds it
    protocol.readOutput().log(LogLevel.INFO, "DDL on ks: " + new SqlText(
        "ALTER TABLE t ADD COLUMN c varchar(20) DEFAULT '" + PASSWORD + "'").redacted());
    protocol.readOutput().log(LogLevel.WARN, "Table ks.t was truncated (" + new SqlText(
        "TRUNCATE /* " + PASSWORD + " */ t").redacted() + ")");
    protocol.flush();
    String[] lines = stdout.lines();
    assertTrue(lines[0].contains("\"message\":\"DDL on ks: ALTER TABLE t ADD COLUMN c varchar(20) DEFAULT '******'\""),
        lines[0]);
    assertTrue(lines[1].contains("TRUNCATE /* ****** */ t"), lines[1]);
  }

  @Test
  void ignoresAnEmptyPassword() {
    protocol.redact(new Secret(""));
    protocol.log(LogLevel.INFO, "nothing to hide");
    assertEquals("{\"type\":\"LOG\",\"log\":{\"level\":\"INFO\",\"message\":\"nothing to hide\"}}\n", stdout.text());
  }

  @Test
  void aShortPasswordIsMaskedWhereItStandsNotInsideWords() {
    protocol.redact(new Secret("a"));
    protocol.log(LogLevel.INFO, "user name a was refused, password 'a'");
    assertTrue(stdout.text().contains("\"user name ****** was refused, password '******'\""), stdout.text());
  }

  @Test
  void aConfigValueThatMayHoldAShortPasswordIsNotEchoed(@TempDir Path dir)
      throws Exception {
    Path config = dir.resolve("config.json");
    Files.writeString(config, "{\"host\": \"h\", \"database\": \"d\", \"username\": \"u\","
        + " \"password\": \"ab\", \"tls_mode\": \"xaby\"}");
    SourceException e = assertThrows(SourceException.class, () -> protocol.parseConfig(config));
    assertEquals("Invalid config: tls_mode must be one of verify_identity, required or disabled"
        + " (the value given is not shown: it may hold the password).", e.getMessage());

    Files.writeString(config, "{\"host\": \"h\", \"database\": \"d\", \"username\": \"u\","
        + " \"password\": \"ab\", \"tls_mode\": \"strict\"}");
    e = assertThrows(SourceException.class, () -> protocol.parseConfig(config));
    assertTrue(e.getMessage().endsWith("got \"strict\"."), e.getMessage());
  }
}
