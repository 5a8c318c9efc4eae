package dev.sourcevitess.vstream.fake;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The column list of a filter rule's {@code SELECT <columns> FROM <table>}, as Vitess reads it:
 * names bare or in back quotes (doubled inside), or {@code *} for every column.
 */
final class SelectList {
  private final String sql;
  private int at;

  private SelectList(String sql) {
    this.sql = sql;
  }

  /** The named columns, or empty for {@code *} (and for a rule without a filter). */
  static Optional<List<String>> of(String sql) {
    if (sql.isBlank()) {
      return Optional.empty();
    }
    return new SelectList(sql).parse();
  }

  private Optional<List<String>> parse() {
    expectWord("select");
    List<String> columns = new ArrayList<>();
    skipSpace();
    if (sql.startsWith("*", at)) {
      at++;
      expectWord("from");
      return Optional.empty();
    }
    while (true) {
      columns.add(name());
      skipSpace();
      if (at < sql.length() && sql.charAt(at) == ',') {
        at++;
        continue;
      }
      expectWord("from");
      return Optional.of(List.copyOf(columns));
    }
  }

  private String name() {
    skipSpace();
    StringBuilder name = new StringBuilder();
    if (at < sql.length() && sql.charAt(at) == '`') {
      at++;
      while (true) {
        if (at >= sql.length()) {
          throw new IllegalArgumentException("unterminated back quote in " + sql);
        }
        char c = sql.charAt(at++);
        if (c == '`') {
          if (at < sql.length() && sql.charAt(at) == '`') {
            at++;
          } else {
            return name.toString();
          }
        }
        name.append(c);
      }
    }
    while (at < sql.length() && (Character.isLetterOrDigit(sql.charAt(at)) || sql.charAt(at) == '_')) {
      name.append(sql.charAt(at++));
    }
    if (name.isEmpty()) {
      throw new IllegalArgumentException("syntax error at position " + at + " in " + sql);
    }
    return name.toString();
  }

  private void expectWord(String word) {
    skipSpace();
    if (!sql.regionMatches(true, at, word, 0, word.length())) {
      throw new IllegalArgumentException("syntax error at position " + at + " near '"
          + sql.substring(at).toLowerCase(Locale.ROOT) + "', expected " + word);
    }
    at += word.length();
  }

  private void skipSpace() {
    while (at < sql.length() && Character.isWhitespace(sql.charAt(at))) {
      at++;
    }
  }
}
