package dev.sourcevitess.domain.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Properties of {@link SqlText}: whatever a password holds (quotes, backslashes, comment and
 * statement syntax, SQL keywords, any Unicode) and however the statement around it is spelled
 * (letter case, white space, comments, quoting, either backslash mode), no part of it shows; and
 * statements without a credential are printed exactly as they came.
 */
class SqlTextProperties {
  /** Markers no template holds: every password has one, so a password showing in part is caught too. */
  private static final List<String> MARKERS = List.of("Qz0", "Qz1", "Qz2", "Qz3", "Qz4", "Qz5", "Qz6", "Qz7");
  private static final Pattern MARKER = Pattern.compile("Qz[0-7]");

  /** What passwords are made of: markers, the characters that end or escape literals and comments, keywords. */
  private static final List<String> CHUNKS = List.of("'", "\"", "\\", "\\\\", "''", "\\'", "`", "*/", "/*", "/*!",
      "/*M!", "-- ", "#", "\n", "\r\n", " ", "\t", ";", ",", "(", ")", "=", "@", "%", "$A$005$", "ä", "🙂", "中文",
      "\u00a0", "\u2028", "\u0000", " IDENTIFIED BY ", "PASSWORD(", " OR ", " AS ", " USING ", " REPLACE '",
      "RETAIN CURRENT PASSWORD", "0x41", "_utf8mb4", "x", "N", "secret", "Pa55");

  /** A credential's template: tokens, joined by random separators; {@code %s} is where a literal goes. */
  private static final List<List<String>> TEMPLATES = List.of(
      List.of("CREATE", "USER", "'u'@'%'", "IDENTIFIED", "BY", "%s"),
      List.of("CREATE", "USER", "u", "IDENTIFIED", "BY", "PASSWORD", "%s", "PASSWORD", "EXPIRE"),
      List.of("CREATE", "USER", "'u'@'%'", "IDENTIFIED", "WITH", "'caching_sha2_password'", "AS", "%s", "REQUIRE",
          "NONE", "PASSWORD", "EXPIRE", "DEFAULT"),
      List.of("ALTER", "USER", "u", "IDENTIFIED", "WITH", "mysql_native_password", "BY", "%s", "REPLACE", "%s",
          "RETAIN", "CURRENT", "PASSWORD"),
      List.of("CREATE", "USER", "u", "IDENTIFIED", "VIA", "ed25519", "USING", "PASSWORD", "(", "%s", ")", "OR",
          "unix_socket"),
      List.of("CREATE", "USER", "u", "IDENTIFIED", "VIA", "unix_socket", "OR", "mysql_native_password", "USING", "%s"),
      List.of("SET", "PASSWORD", "FOR", "'u'@'h'", "=", "%s"),
      List.of("SET", "PASSWORD", "=", "PASSWORD", "(", "%s", ")"),
      List.of("SET", "PASSWORD", "FOR", "u", "=", "OLD_PASSWORD", "(", "%s", ")"),
      List.of("GRANT", "SELECT", "ON", "ks.*", "TO", "u", "IDENTIFIED", "BY", "%s"),
      List.of("CHANGE", "MASTER", "TO", "MASTER_HOST='h',", "MASTER_PASSWORD", "=", "%s", ",", "MASTER_PORT=3306"),
      List.of("CHANGE", "REPLICATION", "SOURCE", "TO", "SOURCE_PASSWORD", "=", "%s"),
      List.of("START", "REPLICA", "USER='r'", "PASSWORD", "=", "%s"),
      List.of("CREATE", "SERVER", "s", "FOREIGN", "DATA", "WRAPPER", "mysql", "OPTIONS", "(", "USER", "'x'", ",",
          "PASSWORD", "%s", ")"),
      List.of("CREATE", "TABLE", "f", "(id int)", "ENGINE=FEDERATED", "CONNECTION", "=", "%s"),
      List.of("ALTER", "USER", "u", "2", "FACTOR", "FINISH", "REGISTRATION", "SET", "CHALLENGE_RESPONSE", "AS", "%s"),
      List.of("CREATE", "USER", "a", "IDENTIFIED", "BY", "%s", ",", "b", "IDENTIFIED", "BY", "%s"),
      List.of("/*M!100100", "CREATE", "USER", "u", "IDENTIFIED", "BY", "%s", "*/"),
      List.of("CREATE", "USER", "u", "/*!50700", "IDENTIFIED", "BY", "%s", "*/"),
      List.of("CREATE", "USER", "u", "IDENTIFIED", "WITH", "authentication_webauthn", "INITIAL", "AUTHENTICATION",
          "IDENTIFIED", "BY", "%s"));

  /** Between tokens: white space and comments of every kind. */
  private static final List<String> SEPARATORS = List.of(" ", "  ", "\n", "\t", "\r\n", " /* c */ ", "/**/",
      " -- c\n", " #c\n", " /* it's */ ");

  /** How a literal is spelled. */
  enum Spelling { BACKSLASHES, DOUBLED_QUOTES, DOUBLE_QUOTED, DOUBLE_QUOTED_DOUBLED, HEX_STRING, HEX_NUMBER,
    INTRODUCER, NATIONAL }

  record Case(List<String> chunks, int template, Spelling spelling, long seed) {
    String password() {
      return String.join("", chunks);
    }

    String literal() {
      String p = password();
      return switch (spelling) {
        case BACKSLASHES -> "'" + p.replace("\\", "\\\\").replace("'", "\\'") + "'";
        case DOUBLED_QUOTES -> "'" + p.replace("'", "''") + "'";
        case DOUBLE_QUOTED -> "\"" + p.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        case DOUBLE_QUOTED_DOUBLED -> "\"" + p.replace("\"", "\"\"") + "\"";
        case HEX_STRING -> "X'" + hex() + "'";
        case HEX_NUMBER -> "0x" + hex();
        case INTRODUCER -> "_utf8mb4'" + p.replace("\\", "\\\\").replace("'", "\\'") + "'";
        case NATIONAL -> "N'" + p.replace("'", "''") + "'";
      };
    }

    String hex() {
      return HexFormat.of().formatHex(password().getBytes(StandardCharsets.UTF_8));
    }

    String statement() {
      Random random = new Random(seed);
      List<String> parts = new ArrayList<>();
      for (String token : TEMPLATES.get(template)) {
        parts.add(token.equals("%s") ? literal() : anyCase(token, random));
      }
      StringBuilder out = new StringBuilder(parts.get(0));
      for (int i = 1; i < parts.size(); i++) {
        out.append(SEPARATORS.get(random.nextInt(SEPARATORS.size()))).append(parts.get(i));
      }
      return out.toString();
    }

    @Override
    public String toString() {
      return statement();
    }
  }

  private static String anyCase(String token, Random random) {
    if (token.startsWith("'") || random.nextInt(3) == 0) {
      return token;
    }
    StringBuilder out = new StringBuilder();
    for (char c : token.toCharArray()) {
      out.append(random.nextBoolean() ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }
    return out.toString();
  }

  private static Gen<Case> credentials() {
    Gen<List<String>> chunks = lists().of(Generate.pick(CHUNKS)).ofSizeBetween(0, 8)
        .zip(Generate.pick(MARKERS), integers().between(0, 8), (list, marker, at) -> {
          List<String> withMarker = new ArrayList<>(list);
          withMarker.add(Math.min(at, withMarker.size()), marker);
          return withMarker;
        });
    return chunks.zip(integers().between(0, TEMPLATES.size() - 1), Generate.enumValues(Spelling.class),
        longs().all(), Case::new);
  }

  @Test
  void noPartOfAPasswordShowsHoweverItAndItsStatementAreSpelled() {
    qt().withExamples(3000).withFixedSeed(7).forAll(credentials()).checkAssert(c -> {
      String redacted = new SqlText(c.statement()).redacted();
      assertFalse(MARKER.matcher(redacted).find(), () -> c.statement() + "\n => " + redacted);
      assertFalse(redacted.contains(c.password()), redacted);
      if (c.spelling() == Spelling.HEX_STRING || c.spelling() == Spelling.HEX_NUMBER) {
        assertFalse(redacted.contains(c.hex()), redacted);
      }
    });
  }

  @Test
  void noPartOfAPasswordShowsInAServerMessageQuotingTheStatementInAnyEscaping() {
    qt().withExamples(1000).withFixedSeed(8).forAll(credentials()).checkAssert(c -> {
      for (String quoted : List.of(c.statement(), goQuoted(c.statement()), jsonQuoted(c.statement()))) {
        String message = "vttablet: rpc error: code = Unknown desc = stream (at source tablet) error @"
            + " MariaDB/0-100-57: unexpected statement type UNKNOWN in row-based replication: " + quoted;
        String masked = SqlText.maskQuotedIn(message);
        assertFalse(MARKER.matcher(masked).find(), () -> message + "\n => " + masked);
      }
    });
  }

  private static String goQuoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
        .replace("\t", "\\t") + "\"";
  }

  private static String jsonQuoted(String s) {
    return "{\"sql\": " + goQuoted(s).replace("\u2028", "\\u2028") + "}";
  }

  // ------------------------------------------------------------------ statements without credentials

  /** Words that start a credential clause somewhere; none is drawn as a plain name. */
  private static final Pattern TRIGGER = Pattern.compile(
      "(?i).*(identified|password|connection|option_list|challenge_response|encrypt|decrypt|encode|decode).*");

  /** Pieces of statements that hold no credential and no keyword of one. */
  private static final List<String> PLAIN = List.of("CREATE", "TABLE", "ALTER", "ADD", "COLUMN", "INDEX",
      "varchar(20)", "INT", "NOT", "NULL", "DEFAULT", "PRIMARY", "KEY", "DROP", "RENAME", "TO", "USER", "SELECT",
      "FROM", "WHERE", "AND", "OR", "AS", "BY", "WITH", "VIA", "USING", "FOR", "SET", "REPLACE", "=", "(", ")", ",",
      ";", ".", "@", "*", "/", "-", "12", "0x1F", "RANDOM", "COLLATE", "_utf8mb4", "/*!50700 KEY */", "/* c */",
      "-- c\n", "#c\n");

  /**
   * The keywords of credential clauses where they are options or names. None is followed by a
   * literal, an = or a parenthesis, whatever comes after it.
   */
  private static final List<String> KEYWORDS_OUT_OF_CLAUSES = List.of("`password`", "`identified`",
      "PASSWORD EXPIRE", "PASSWORD HISTORY 5", "PASSWORD REUSE INTERVAL DEFAULT", "RETAIN CURRENT PASSWORD EXPIRE",
      "DISCARD OLD PASSWORD DEFAULT", "password varchar(64)", "identified tinyint(1)",
      "IDENTIFIED WITH auth_socket REQUIRE", "IDENTIFIED BY RANDOM PASSWORD EXPIRE", "SET PASSWORD TO RANDOM KEY",
      "RENAME COLUMN password TO pwd", "KILL CONNECTION 5", "PASSWORD_LOCK_TIME 2");

  private static Gen<String> names() {
    return lists().of(Generate.pick(List.of("a", "b", "u", "t", "_", "x", "1", "$", "ä")))
        .ofSizeBetween(1, 6).map(l -> String.join("", l)).assuming(w -> !TRIGGER.matcher(w).matches());
  }

  /**
   * String literals of {@code chars}, quotes inside doubled or (with {@code backslashes})
   * escaped by a backslash.
   */
  private static Gen<String> strings(List<String> chars, boolean backslashes) {
    return lists().of(Generate.pick(chars)).ofSizeBetween(0, 6).zip(Generate.pick(List.of("'", "\"")),
        Generate.booleans(), (content, quote, escape) -> quote + content.stream()
            .map(c -> !c.equals(quote) ? c : backslashes && escape ? "\\" + c : c + c)
            .collect(Collectors.joining()) + quote);
  }

  /** What a string holds: quotes, comment and statement syntax, the keywords of credentials. */
  private static final List<String> STRING_CHARS = List.of("a", "Z", "9", " ", "'", "\"", "`", "ä", "🙂", "/*",
      "*/", "--", "#", "\n", ";", "(", "=", "IDENTIFIED BY ", "PASSWORD(", "MASTER_PASSWORD=", "CONNECTION=");

  private static void assertPrintedAsItCame(List<String> tokens, List<String> separators) {
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < tokens.size(); i++) {
      sql.append(i == 0 ? "" : separators.get(i)).append(tokens.get(i));
    }
    String text = sql.toString();
    assertSame(text, new SqlText(text).redacted(), text);
  }

  @Test
  void aStatementWithoutCredentialsIsPrintedAsItCame() {
    // strings whose quotes are doubled lex alike with and without backslash escapes
    Gen<String> tokens = Generate.pick(PLAIN).mix(Generate.pick(KEYWORDS_OUT_OF_CLAUSES), 25).mix(names(), 25)
        .mix(strings(STRING_CHARS, false), 25);
    qt().withExamples(3000).withFixedSeed(9).forAll(lists().of(tokens).ofSizeBetween(0, 25),
        lists().of(Generate.pick(SEPARATORS)).ofSizeBetween(25, 25))
        .checkAssert(SqlTextProperties::assertPrintedAsItCame);
  }

  @Test
  void aStatementWithoutCredentialKeywordsIsPrintedAsItCameWhateverItsEscapes() {
    // lexed without backslash escapes, a string escaping a quote with one runs on: nothing it
    // meets then may look like a credential
    List<String> chars = STRING_CHARS.stream().filter(c -> !TRIGGER.matcher(c).matches()).toList();
    Gen<String> tokens = Generate.pick(PLAIN).mix(names(), 30).mix(strings(chars, true), 30);
    qt().withExamples(3000).withFixedSeed(10).forAll(lists().of(tokens).ofSizeBetween(0, 25),
        lists().of(Generate.pick(SEPARATORS)).ofSizeBetween(25, 25))
        .checkAssert(SqlTextProperties::assertPrintedAsItCame);
  }

  @Test
  void theMarkersAreInNoTemplate() {
    for (List<String> template : TEMPLATES) {
      assertFalse(MARKER.matcher(String.join(" ", template).toUpperCase(Locale.ROOT)).find());
    }
  }
}
