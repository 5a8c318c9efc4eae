package dev.sourcevitess.domain.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * MySQL's and MariaDB's lexical structure, as far as finding credentials needs it: words, literals,
 * quoted names and single characters, with white space and comments between them. The code inside
 * executable comments ({@code /*!50700 ...}, {@code /*M!100100 ...}) is lexed as code, since the
 * server runs it; the text of other comments is kept aside, to be searched on its own.
 *
 * <p>Whether a backslash escapes the next character in a string depends on the session's
 * {@code NO_BACKSLASH_ESCAPES}, which the statement's text does not tell, so a caller lexes
 * both ways.
 */
final class SqlTokens {
  enum Kind {
    /** An unquoted name or keyword: {@code CREATE}, {@code _utf8mb4}, {@code u1}. */
    WORD,
    /** A number, {@code 0x...} or {@code 0b...}. */
    NUMBER,
    /** {@code '...'}, {@code "..."}, {@code N'...'}, {@code X'...'}, {@code B'...'}; unterminated: to the end. */
    STRING,
    /** {@code `...`}. */
    QUOTED_NAME,
    /** Any other single character. */
    SYMBOL
  }

  record Token(Kind kind, int start, int end, String upper) {
    boolean isWord(String word) {
      return kind == Kind.WORD && upper.equals(word);
    }

    boolean isSymbol(char c) {
      return kind == Kind.SYMBOL && upper.charAt(0) == c;
    }

    /** A value a credential can be written as. */
    boolean isLiteral() {
      return kind == Kind.STRING || kind == Kind.NUMBER;
    }
  }

  /** The text of a plain comment, between its delimiters. */
  record Comment(int start, int end) {}

  final List<Token> tokens = new ArrayList<>();
  final List<Comment> comments = new ArrayList<>();
  private final String text;
  private final boolean backslashEscapes;

  private SqlTokens(String text, boolean backslashEscapes) {
    this.text = text;
    this.backslashEscapes = backslashEscapes;
  }

  static SqlTokens of(String text, boolean backslashEscapes) {
    SqlTokens lexed = new SqlTokens(text, backslashEscapes);
    lexed.lex();
    return lexed;
  }

  private void lex() {
    int n = text.length();
    int executableComments = 0;
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      char next = i + 1 < n ? text.charAt(i + 1) : 0;
      if (Character.isWhitespace(c) || Character.isSpaceChar(c) || c < ' ') {
        i++;
      } else if (c == '#' || (c == '-' && next == '-' && (i + 2 == n || text.charAt(i + 2) <= ' '))) {
        int eol = lineEnd(i);
        comments.add(new Comment(i + (c == '#' ? 1 : 2), eol));
        i = eol;
      } else if (c == '/' && next == '*') {
        if (text.startsWith("!", i + 2) || text.startsWith("M!", i + 2) || text.startsWith("m!", i + 2)) {
          i = skipDigits(i + (text.charAt(i + 2) == '!' ? 3 : 4));
          executableComments++;
        } else {
          int close = text.indexOf("*/", i + 2);
          int end = close < 0 ? n : close;
          comments.add(new Comment(i + 2, end));
          i = close < 0 ? n : close + 2;
        }
      } else if (c == '*' && next == '/' && executableComments > 0) {
        executableComments--;
        i += 2;
      } else if (c == '\'' || c == '"') {
        i = add(Kind.STRING, i, quoted(i + 1, c, backslashEscapes));
      } else if (c == '`') {
        i = add(Kind.QUOTED_NAME, i, quoted(i + 1, '`', false));
      } else if (next == '\'' && "NnXxBb".indexOf(c) >= 0) {
        i = add(Kind.STRING, i, quoted(i + 2, '\'', backslashEscapes && (c == 'N' || c == 'n')));
      } else if (isNamePart(c)) {
        int end = i;
        while (end < n && isNamePart(text.charAt(end))) {
          end++;
        }
        i = add(Character.isDigit(c) ? Kind.NUMBER : Kind.WORD, i, end);
      } else {
        i = add(Kind.SYMBOL, i, i + 1);
      }
    }
  }

  private int add(Kind kind, int start, int end) {
    String upper = kind == Kind.WORD || kind == Kind.SYMBOL
        ? text.substring(start, end).toUpperCase(Locale.ROOT) : "";
    tokens.add(new Token(kind, start, end, upper));
    return end;
  }

  /** Where a quoted token that opened before {@code from} ends (after its closing quote), or the text's end. */
  private int quoted(int from, char quote, boolean escapes) {
    int n = text.length();
    for (int j = from; j < n; j++) {
      char c = text.charAt(j);
      if (escapes && c == '\\') {
        j++;
      } else if (c == quote) {
        if (j + 1 < n && text.charAt(j + 1) == quote) {
          j++;
        } else {
          return j + 1;
        }
      }
    }
    return n;
  }

  private int lineEnd(int from) {
    for (int j = from; j < text.length(); j++) {
      if (text.charAt(j) == '\n' || text.charAt(j) == '\r') {
        return j;
      }
    }
    return text.length();
  }

  private int skipDigits(int from) {
    int j = from;
    while (j < text.length() && Character.isDigit(text.charAt(j))) {
      j++;
    }
    return j;
  }

  /** MySQL's unquoted names: letters, digits, $, _ and anything beyond ASCII that is not a space. */
  private static boolean isNamePart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$'
        || (c >= 0x80 && !Character.isWhitespace(c) && !Character.isSpaceChar(c));
  }
}
