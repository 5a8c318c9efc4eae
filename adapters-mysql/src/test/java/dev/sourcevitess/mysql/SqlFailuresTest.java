package dev.sourcevitess.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.ReplicationMethod;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.TlsMode;
import java.io.EOFException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Classification and scrubbing for failures the local server cannot produce on demand. */
class SqlFailuresTest {
  private static final String PASSWORD = "s3cr3t-Pa55";
  private final SqlFailures failures = new SqlFailures(new MysqlEndpoint(TestDatabase.config("ks", "app", PASSWORD,
      3306, TlsMode.VERIFY_IDENTITY, ReplicationMethod.STANDARD, false, false, true)));

  @Test
  void thePasswordIsScrubbedFromDriverText() {
    SQLException e = new SQLException("Access denied for user 'app' using '" + PASSWORD + "'", "28000", 1045,
        new IllegalStateException("inner " + PASSWORD));
    SourceException s = failures.connecting(e);
    assertEquals(FailureType.CONFIG_ERROR, s.failureType());
    assertFalse(s.detail().contains(PASSWORD), s.detail());
    assertTrue(s.detail().contains("inner ******"), s.detail());
    assertNull(s.getCause(), "the unscrubbed exception must not ride along");
  }

  @Test
  void aStatementTheServerQuotesIsShownWithoutItsCredentials() {
    SQLException e = new SQLException("You have an error in your SQL syntax; check the manual that corresponds to"
        + " your MariaDB server version for the right syntax to use near 'IDENTIFIED BY 'quoted-pw'' at line 1",
        "42000", 1064, new IllegalStateException("near SET PASSWORD = PASSWORD('inner-pw')"));
    SourceException s = failures.reading(e, "reading table `t`");
    for (String text : new String[] {s.getMessage(), s.detail()}) {
      assertFalse(text.contains("quoted-pw") || text.contains("inner-pw"), text);
    }
    assertTrue(s.getMessage().contains("right syntax to use near 'IDENTIFIED ******"), s.getMessage());
  }

  @Test
  void mariaDbsRefusalWithoutAPasswordCheckIsAWrongLogin() {
    SQLException e = new SQLException("Access denied for user 'root'@'localhost'", "28000", 1698);
    SourceException s = failures.connecting(e);
    assertEquals(FailureType.CONFIG_ERROR, s.failureType());
    assertTrue(s.getMessage().startsWith("wrong user name or password for user app"), s.getMessage());
    assertTrue(s.getMessage().contains("unix socket"), s.getMessage());
  }

  @Test
  void aCertificateProblemIsATlsFailure() {
    SQLException e = new SQLException("Communications link failure", "08S01", 0,
        new SSLHandshakeException("PKIX path building failed"));
    SourceException s = failures.connecting(e);
    assertEquals(FailureType.CONFIG_ERROR, s.failureType());
    assertEquals("the certificate of 127.0.0.1:3306 is not signed by a CA this source trusts: set ca_certificate to"
        + " the PEM certificate of the CA that signed it, or tls_mode to required to encrypt without checking the"
        + " certificate (PKIX path building failed)", s.getMessage());
  }

  @Test
  void aServerThatRequiresTlsIsATlsFailure() {
    SQLException e = new SQLException("Connections using insecure transport are prohibited", "08004", 3159);
    assertTrue(failures.connecting(e).getMessage().startsWith("TLS connection"));
  }

  @Test
  void aLostConnectionMidReadIsTransient() {
    // what mysql-connector-j throws when the socket closes during a streamed result
    SQLException e = new SQLException("Error retrieving record: Unexpected Exception", "S1000", 0,
        new EOFException("Can not read response from server"));
    SourceException s = failures.reading(e, "reading table `t`");
    assertEquals(FailureType.TRANSIENT_ERROR, s.failureType());
    assertTrue(s.getMessage().contains("reading table `t`"), s.getMessage());
  }

  @Test
  void otherFailuresAreTransientOnlyWhenTheyMayPass() {
    assertEquals(FailureType.TRANSIENT_ERROR,
        failures.reading(new SQLException("Deadlock found", "40001", 1213), "x").failureType());
    assertEquals(FailureType.TRANSIENT_ERROR,
        failures.reading(new SQLTransientConnectionException("gone", "08003"), "x").failureType());
    assertEquals(FailureType.SYSTEM_ERROR,
        failures.reading(new SQLException("You have an error in your SQL syntax", "42000", 1064), "x").failureType());
    assertEquals(FailureType.CONFIG_ERROR,
        failures.reading(new SQLException("Unknown column 'c'", "42S22", 1054), "x").failureType());
  }

  @Test
  void accountAndPrivilegeRefusalsAreConfigErrors() {
    for (int code : new int[] {1129, 1130, 1251, 1820, 1862, 3118, 4151}) {
      SourceException s = failures.connecting(new SQLException("refused", "HY000", code));
      assertEquals(FailureType.CONFIG_ERROR, s.failureType(), "error " + code);
      assertTrue(s.getMessage().contains("does not let user app log in"), s.getMessage());
    }
    for (int code : new int[] {1142, 1143, 1227, 1044}) {
      SourceException s = failures.reading(new SQLException("denied", "42000", code), "reading table `t`");
      assertEquals(FailureType.CONFIG_ERROR, s.failureType(), "error " + code);
      assertTrue(s.getMessage().contains("grant it SELECT on database ks"), s.getMessage());
    }
    assertEquals(FailureType.CONFIG_ERROR,
        failures.reading(new SQLException("Identifier name is too long", "42000", 1059), "x").failureType());
  }
}
