package dev.sourcevitess.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Statement text from the server prints with its credentials masked, in every spelling MySQL and MariaDB take. */
class SqlTextTest {
  private static void masks(String sql, String expected) {
    assertEquals(expected, new SqlText(sql).redacted(), sql);
    assertEquals(expected, new SqlText(sql).toString(), sql);
  }

  private static void keeps(String sql) {
    assertSame(sql, new SqlText(sql).redacted(), sql);
  }

  @Test
  void identifiedByAndItsPasswordHashForm() {
    masks("CREATE USER 'u1'@'%' IDENTIFIED BY 'plain-pw-1'", "CREATE USER 'u1'@'%' IDENTIFIED BY '******'");
    masks("CREATE USER u2 IDENTIFIED BY PASSWORD '*6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9'",
        "CREATE USER u2 IDENTIFIED BY PASSWORD '******'");
    masks("ALTER USER u1 IDENTIFIED BY 'plain-pw-30' PASSWORD EXPIRE NEVER",
        "ALTER USER u1 IDENTIFIED BY '******' PASSWORD EXPIRE NEVER");
    masks("CREATE USER IF NOT EXISTS u16@localhost IDENTIFIED BY 'pw-20', u17 IDENTIFIED BY PASSWORD '*6BB4'"
            + " PASSWORD EXPIRE INTERVAL 30 DAY",
        "CREATE USER IF NOT EXISTS u16@localhost IDENTIFIED BY '******', u17 IDENTIFIED BY PASSWORD '******'"
            + " PASSWORD EXPIRE INTERVAL 30 DAY");
  }

  @Test
  void identifiedWithAPluginByOrAsAndMySqlsBinlogSpellingOfHashes() {
    masks("CREATE USER 'u'@'%' IDENTIFIED WITH 'caching_sha2_password' AS '$A$005$abc\\'def\\\\ghi' REQUIRE NONE"
            + " PASSWORD EXPIRE DEFAULT ACCOUNT UNLOCK PASSWORD HISTORY DEFAULT",
        "CREATE USER 'u'@'%' IDENTIFIED WITH 'caching_sha2_password' AS '******' REQUIRE NONE"
            + " PASSWORD EXPIRE DEFAULT ACCOUNT UNLOCK PASSWORD HISTORY DEFAULT");
    masks("CREATE USER 'u'@'%' IDENTIFIED WITH 'caching_sha2_password' AS 0x2441243030350A0B REQUIRE NONE",
        "CREATE USER 'u'@'%' IDENTIFIED WITH 'caching_sha2_password' AS '******' REQUIRE NONE");
    // as MySQL 9.7 wrote it to a real binlog: the salt's bytes raw, its quote, backslash and newline escaped
    masks("CREATE USER 'rv_u1'@'%' IDENTIFIED WITH 'caching_sha2_password' AS '$A$00A$\\\\[J4lp^\u0002\u0012a\\',"
            + "\\n:j^|argP768KiTGRrF1fZrL1PEe7/W6J2CtuMrYVEY20DBmSaB' RETAIN CURRENT PASSWORD",
        "CREATE USER 'rv_u1'@'%' IDENTIFIED WITH 'caching_sha2_password' AS '******' RETAIN CURRENT PASSWORD");
    masks("CREATE USER u8 IDENTIFIED WITH mysql_native_password AS '*6BB48'",
        "CREATE USER u8 IDENTIFIED WITH mysql_native_password AS '******'");
    masks("ALTER USER u IDENTIFIED WITH caching_sha2_password BY 'new-pw' REPLACE 'old-pw' RETAIN CURRENT PASSWORD",
        "ALTER USER u IDENTIFIED WITH caching_sha2_password BY '******' REPLACE '******' RETAIN CURRENT PASSWORD");
    masks("ALTER USER u IDENTIFIED BY RANDOM PASSWORD REPLACE 'old-pw'",
        "ALTER USER u IDENTIFIED BY RANDOM PASSWORD REPLACE '******'");
    keeps("CREATE USER u IDENTIFIED BY RANDOM PASSWORD, v IDENTIFIED WITH caching_sha2_password BY RANDOM PASSWORD");
    keeps("CREATE USER u IDENTIFIED WITH auth_socket, v IDENTIFIED WITH auth_socket REQUIRE SSL");
  }

  @Test
  void mariaDbsViaUsingAndOrChains() {
    masks("CREATE USER u3 IDENTIFIED VIA mysql_native_password USING PASSWORD('plain-pw-3')",
        "CREATE USER u3 IDENTIFIED VIA mysql_native_password USING PASSWORD('******')");
    masks("CREATE USER u4 IDENTIFIED VIA unix_socket OR ed25519 USING PASSWORD('pw-4') OR mysql_native_password"
            + " USING '*ABC'",
        "CREATE USER u4 IDENTIFIED VIA unix_socket OR ed25519 USING PASSWORD('******') OR mysql_native_password"
            + " USING '******'");
    masks("GRANT SELECT ON ks.* TO u22 IDENTIFIED VIA mysql_native_password USING PASSWORD('pw-29')",
        "GRANT SELECT ON ks.* TO u22 IDENTIFIED VIA mysql_native_password USING PASSWORD('******')");
    masks("GRANT SELECT ON ks.* TO u5 IDENTIFIED BY 'plain-pw-8'", "GRANT SELECT ON ks.* TO u5 IDENTIFIED BY '******'");
    masks("CREATE USER u IDENTIFIED VIA ed25519 USING OLD_PASSWORD('pw')",
        "CREATE USER u IDENTIFIED VIA ed25519 USING OLD_PASSWORD('******')");
  }

  @Test
  void passwordFunctionsAndSetPassword() {
    masks("SET PASSWORD FOR 'u1'@'%'='*B3BEF298EEA05E37DA03C19F1A4CFBD409C99833'", "SET PASSWORD FOR 'u1'@'%'='******'");
    masks("SET PASSWORD FOR u1 = PASSWORD('plain-pw-6')", "SET PASSWORD FOR u1 = PASSWORD('******')");
    masks("SET PASSWORD = OLD_PASSWORD('plain-pw-7')", "SET PASSWORD = OLD_PASSWORD('******')");
    masks("SET PASSWORD FOR u@h = 'new' REPLACE 'old' RETAIN CURRENT PASSWORD",
        "SET PASSWORD FOR u@h = '******' REPLACE '******' RETAIN CURRENT PASSWORD");
    masks("set password for current_user() to 'x'", "set password for current_user() to '******'");
    keeps("SET PASSWORD TO RANDOM");
    masks("SELECT PASSWORD ( CONCAT('a', 'b') ), OLD_PASSWORD('c')", "SELECT PASSWORD ('******'), OLD_PASSWORD('******')");
    masks("CREATE VIEW v AS SELECT AES_DECRYPT(col, 'aes-key'), DES_ENCRYPT('x', 'k') FROM t",
        "CREATE VIEW v AS SELECT AES_DECRYPT('******'), DES_ENCRYPT('******') FROM t");
  }

  @Test
  void replicationAndServerAndFederatedCredentials() {
    masks("CHANGE MASTER TO MASTER_HOST='h', MASTER_USER='r', MASTER_PASSWORD='repl-pw', MASTER_PORT=3306",
        "CHANGE MASTER TO MASTER_HOST='h', MASTER_USER='r', MASTER_PASSWORD='******', MASTER_PORT=3306");
    masks("CHANGE REPLICATION SOURCE TO SOURCE_PASSWORD = \"repl-pw2\", SOURCE_HOST = 'h'",
        "CHANGE REPLICATION SOURCE TO SOURCE_PASSWORD = '******', SOURCE_HOST = 'h'");
    masks("START REPLICA USER='r' PASSWORD='repl-pw3' DEFAULT_AUTH='x'",
        "START REPLICA USER='r' PASSWORD='******' DEFAULT_AUTH='x'");
    masks("START SLAVE USER='r' PASSWORD='repl-pw4'", "START SLAVE USER='r' PASSWORD='******'");
    masks("CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (USER 'x', PASSWORD 'server-pw', HOST '127.0.0.1')",
        "CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (USER 'x', PASSWORD '******', HOST '127.0.0.1')");
    masks("CREATE TABLE fed (id int) ENGINE=FEDERATED CONNECTION='mysql://fed_user:fed-pw@127.0.0.1:3306/ks/t'",
        "CREATE TABLE fed (id int) ENGINE=FEDERATED CONNECTION='******'");
    masks("CREATE TABLE c (id int) ENGINE=CONNECT TABLE_TYPE=MYSQL OPTION_LIST 'user=u,password=connect-pw'",
        "CREATE TABLE c (id int) ENGINE=CONNECT TABLE_TYPE=MYSQL OPTION_LIST '******'");
    keeps("KILL CONNECTION 5");
    masks("CLONE INSTANCE FROM 'u'@'h':3306 IDENTIFIED BY 'clone-pw'",
        "CLONE INSTANCE FROM 'u'@'h':3306 IDENTIFIED BY '******'");
  }

  @Test
  void multiFactorForms() {
    masks("ALTER USER u ADD 2 FACTOR IDENTIFIED WITH authentication_ldap_simple AS 'ldap-pw'",
        "ALTER USER u ADD 2 FACTOR IDENTIFIED WITH authentication_ldap_simple AS '******'");
    masks("ALTER USER u 2 FACTOR FINISH REGISTRATION SET CHALLENGE_RESPONSE AS 'fido-response'",
        "ALTER USER u 2 FACTOR FINISH REGISTRATION SET CHALLENGE_RESPONSE AS '******'");
    masks("CREATE USER u IDENTIFIED WITH authentication_webauthn INITIAL AUTHENTICATION IDENTIFIED BY 'initial-pw'",
        "CREATE USER u IDENTIFIED WITH authentication_webauthn INITIAL AUTHENTICATION IDENTIFIED BY '******'");
  }

  @Test
  void everyQuotingMySqlAllows() {
    masks("CREATE USER \"u\"@\"h\" IDENTIFIED BY \"a\"\"b\\\"c\"", "CREATE USER \"u\"@\"h\" IDENTIFIED BY '******'");
    masks("CREATE USER u IDENTIFIED BY 'it''s \\\\ a \\' pw' PASSWORD EXPIRE",
        "CREATE USER u IDENTIFIED BY '******' PASSWORD EXPIRE");
    masks("CREATE USER u IDENTIFIED BY _utf8mb4'plain-pw' COLLATE utf8mb4_bin, v IDENTIFIED BY N'x' 'y'",
        "CREATE USER u IDENTIFIED BY '******', v IDENTIFIED BY '******'");
    masks("CREATE USER u IDENTIFIED BY _binary 0x706c61696e, v IDENTIFIED BY X'706c61696e', w IDENTIFIED BY b'0101'",
        "CREATE USER u IDENTIFIED BY '******', v IDENTIFIED BY '******', w IDENTIFIED BY '******'");
    masks("CREATE USER u25 IDENTIFIED BY 'plä🙂n-pw-33'", "CREATE USER u25 IDENTIFIED BY '******'");
    // a backslash is a plain character under NO_BACKSLASH_ESCAPES: the second user's password is a literal then
    masks("CREATE USER u6 IDENTIFIED BY 'x\\', u7 IDENTIFIED BY 'secret2'", "CREATE USER u6 IDENTIFIED BY '******'");
    masks("CREATE USER u IDENTIFIED BY 'unterminated", "CREATE USER u IDENTIFIED BY '******'");
  }

  @Test
  void anyCaseWhiteSpaceAndComments() {
    masks("create user u identified   /* c */ by -- c\n 'lower-pw'", "create user u identified   /* c */ by -- c\n '******'");
    masks("CREATE USER u IDENTIFIED#c\nBY\t'hash-pw'", "CREATE USER u IDENTIFIED#c\nBY\t'******'");
    masks("CrEaTe UsEr u IdEnTiFiEd\r\nVia ed25519 uSiNg PaSsWoRd('pw')",
        "CrEaTe UsEr u IdEnTiFiEd\r\nVia ed25519 uSiNg PaSsWoRd('******')");
    masks("CREATE USER u6 /* it's a comment */ IDENTIFIED BY 'pl\\'ain-pw-9'",
        "CREATE USER u6 /* it's a comment */ IDENTIFIED BY '******'");
    masks("CREATE USER u IDENTIFIED BY 'pw' /* IDENTIFIED BY 'in-comment-pw' */",
        "CREATE USER u IDENTIFIED BY '******' /* IDENTIFIED BY '******' */");
    // the server runs what executable comments hold
    masks("/*M!100100 CREATE USER u12 IDENTIFIED BY 'plain-pw-16' */",
        "/*M!100100 CREATE USER u12 IDENTIFIED BY '******' */");
    masks("CREATE /*!50700 USER u13 IDENTIFIED BY 'pw-17' */", "CREATE /*!50700 USER u13 IDENTIFIED BY '******' */");
    masks("CREATE DEFINER=`root`@`localhost` PROCEDURE `mkuser`()\nCREATE USER u21 IDENTIFIED BY 'plain-pw-25'",
        "CREATE DEFINER=`root`@`localhost` PROCEDURE `mkuser`()\nCREATE USER u21 IDENTIFIED BY '******'");
    masks("CREATE DEFINER=`root`@`localhost` EVENT ev ON SCHEDULE AT CURRENT_TIMESTAMP + INTERVAL 1 YEAR DO"
            + " ALTER USER u1 IDENTIFIED BY 'plain-pw-26'",
        "CREATE DEFINER=`root`@`localhost` EVENT ev ON SCHEDULE AT CURRENT_TIMESTAMP + INTERVAL 1 YEAR DO"
            + " ALTER USER u1 IDENTIFIED BY '******'");
  }

  @Test
  void whatCannotBeReadAfterAKeywordIsMaskedToTheEnd() {
    masks("CREATE USER u IDENTIFIED BY @x REQUIRE SSL", "CREATE USER u IDENTIFIED BY ******");
    masks("CREATE USER u IDENTIFIED BY PASSWORD", "CREATE USER u IDENTIFIED BY PASSWORD ******");
    masks("CREATE USER u IDENTIFIED WITH", "CREATE USER u IDENTIFIED WITH ******");
    masks("CREATE USER u IDENTIFIED 'pw'", "CREATE USER u IDENTIFIED ******");
    masks("CREATE USER u IDENTIFIED VIA ed25519 USING CONCAT('a', 'b')", "CREATE USER u IDENTIFIED VIA ed25519 USING ******");
    masks("SET PASSWORD FOR", "SET PASSWORD ******");
    masks("SET PASSWORD = @new", "SET PASSWORD = ******");
    masks("CHANGE MASTER TO MASTER_PASSWORD = @p, MASTER_HOST = 'h'", "CHANGE MASTER TO MASTER_PASSWORD = ******");
    masks("SELECT PASSWORD('unclosed", "SELECT PASSWORD ******");
    masks("ALTER USER u 2 FACTOR FINISH REGISTRATION SET CHALLENGE_RESPONSE AS @r",
        "ALTER USER u 2 FACTOR FINISH REGISTRATION SET CHALLENGE_RESPONSE AS ******");
  }

  @Test
  void statementsWithoutCredentialsAreKeptAsTheyAre() {
    for (String sql : List.of("TRUNCATE TABLE customer", "alter table customer add column x int",
        "CREATE TABLE users (id int, password varchar(64) NOT NULL DEFAULT '', identified tinyint(1))",
        "ALTER TABLE users RENAME COLUMN password TO pwd", "ALTER TABLE users CHANGE password pwd varchar(64)",
        "ALTER USER u PASSWORD EXPIRE INTERVAL 90 DAY PASSWORD HISTORY 5 PASSWORD REUSE INTERVAL DEFAULT"
            + " PASSWORD REQUIRE CURRENT OPTIONAL FAILED_LOGIN_ATTEMPTS 3 PASSWORD_LOCK_TIME 2",
        "ALTER USER u DISCARD OLD PASSWORD", "RENAME USER u10 TO u11", "DROP USER u11",
        "CREATE TRIGGER t BEFORE INSERT ON users FOR EACH ROW SET NEW.password = SHA2(NEW.password, 256)",
        "CREATE TABLE t (c varchar(10) COMMENT 'IDENTIFIED BY \"x\" PASSWORD(y)')",
        "CREATE TABLE `password` (`identified` int, `password` int)", "/* a comment */ DROP TABLE t", "")) {
      keeps(sql);
    }
  }

  @Test
  void aDdlEventPrintsRedactedButStillTellsATruncateFromItsRawText() {
    ChangeEvent.Ddl ddl = new ChangeEvent.Ddl("CREATE USER u IDENTIFIED BY 'event-pw'");
    assertFalse(ddl.toString().contains("event-pw"), ddl.toString());
    assertEquals("CREATE USER u IDENTIFIED BY '******'", ddl.statement().redacted());
    assertEquals(new ChangeEvent.Ddl("CREATE USER u IDENTIFIED BY 'event-pw'"), ddl);
    assertFalse(ddl.equals(new ChangeEvent.Ddl("CREATE USER u IDENTIFIED BY 'other-pw'")), "compared as sent");
    assertTrue(new ChangeEvent.Ddl("TRUNCATE TABLE customer").truncates("customer"));
  }

  @Test
  void aServerMessageQuotingAStatementIsMaskedFromItsFirstCredentialKeyword() {
    assertEquals("unexpected statement type UNKNOWN in row-based replication: \"/*M!100100 CREATE USER u12 IDENTIFIED"
            + " ******",
        SqlText.maskQuotedIn("unexpected statement type UNKNOWN in row-based replication: \"/*M!100100 CREATE USER"
            + " u12 IDENTIFIED BY 'plain-pw-16' */\""));
    // Go's %q: escaped quotes confuse no lexing, there is none
    assertEquals("error near \"SET PASSWORD ******",
        SqlText.maskQuotedIn("error near \"SET PASSWORD FOR \\\"u\\\"@\\\"%\\\" = \\\"p\\\\\\\"w\\\"\""));
    assertEquals("x MASTER_PASSWORD ******", SqlText.maskQuotedIn("x MASTER_PASSWORD='p' y"));
    assertEquals("\"SET\\r\\nPassword ******",
        SqlText.maskQuotedIn("\"SET\\r\\nPassword /* c */ FOR 'u'@'h' =\\t'p\\\\'\""));
    assertEquals("desc = \"CREATE USER u\\tIDENTIFIED ******",
        SqlText.maskQuotedIn("desc = \"CREATE USER u\\tIDENTIFIED\\nBY 'p'\""));
    assertEquals("near 'PASSWORD ******", SqlText.maskQuotedIn("near 'PASSWORD('p')' at line 1"));
    assertEquals("CONNECTION ******", SqlText.maskQuotedIn("CONNECTION='mysql://u:p@h/d/t'"));
    assertEquals("AES_ENCRYPT ******", SqlText.maskQuotedIn("AES_ENCRYPT(x, 'k')"));
    for (String plain : List.of("Access denied for user 'airbyte'@'localhost' (using password: YES)",
        "VTGate refused user 'u'; check the username, password and the user's access",
        "column `password` not found in table users", "wrong user name or password for user u",
        "Authentication plugin 'caching_sha2_password' reported error: Authentication requires secure connection.",
        "Your password has expired. To log in you must change it using a client that supports expired passwords.",
        "Password hash should be a 41-digit hexadecimal number", "")) {
      assertSame(plain, SqlText.maskQuotedIn(plain));
    }
  }
}
