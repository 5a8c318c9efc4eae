package dev.sourcevitess.domain.model;

import dev.sourcevitess.domain.model.SqlTokens.Token;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds where SQL text holds a credential and masks it. MariaDB writes {@code CREATE USER ...
 * IDENTIFIED BY 'plain password'} to the binlog as it was typed, MySQL the hash; either must not
 * reach a log. Covered, in any letter case, with any white space or comments between the words:
 * <ul>
 *   <li>{@code IDENTIFIED BY [PASSWORD] 'x'}, {@code IDENTIFIED WITH|VIA plugin [BY|AS|USING] 'x'},
 *       {@code USING PASSWORD('x')}, MariaDB's {@code OR plugin ...} chains, MySQL's
 *       {@code REPLACE 'current'} after them (CREATE/ALTER USER, GRANT, CLONE, 2 FACTOR ...);
 *   <li>{@code PASSWORD('x')}, {@code OLD_PASSWORD('x')}, and the key-taking functions
 *       {@code AES_ENCRYPT}, {@code AES_DECRYPT}, {@code DES_ENCRYPT}, {@code DES_DECRYPT},
 *       {@code ENCRYPT}, {@code ENCODE}, {@code DECODE}: everything between their parentheses;
 *   <li>{@code SET PASSWORD [FOR u] = 'x'} or {@code TO 'x'}, {@code PASSWORD = 'x'} and
 *       {@code *_PASSWORD = 'x'} ({@code MASTER_PASSWORD}, {@code SOURCE_PASSWORD} of CHANGE
 *       MASTER/REPLICATION SOURCE, START REPLICA's {@code PASSWORD}), {@code PASSWORD 'x'} (CREATE
 *       SERVER's OPTIONS);
 *   <li>{@code CHALLENGE_RESPONSE AS 'x'}, and a table's {@code CONNECTION='mysql://user:pw@...'} or
 *       {@code OPTION_LIST='user=u,password=pw'}, whole.
 * </ul>
 * A literal is any of MySQL's spellings: {@code '...'} or {@code "..."} with doubled quotes or
 * backslash escapes, {@code _charset'...'}, {@code N'...'}, {@code X'...'}, {@code 0x...},
 * {@code B'...'}, adjacent strings. The text is lexed twice, with and without backslash escapes
 * (the session's sql_mode is not in the text), and what either finds is masked. Where a keyword
 * that introduces a credential is followed by something this does not understand, everything
 * from the keyword to the end is masked: a log line missing its end is better than a password.
 */
final class CredentialClauses {
  static final String MASKED_LITERAL = "'" + Secret.MASK + "'";
  static final String MASKED_REST = " " + Secret.MASK;

  /** Functions whose arguments are passwords or keys. */
  private static final Set<String> SECRET_FUNCTIONS = Set.of("PASSWORD", "OLD_PASSWORD", "ENCRYPT",
      "AES_ENCRYPT", "AES_DECRYPT", "DES_ENCRYPT", "DES_DECRYPT", "ENCODE", "DECODE");
  /** The tokens a SET PASSWORD FOR may spend on naming its user before its = or TO. */
  private static final int MAX_USER_TOKENS = 8;

  /**
   * In a message (a server's error text) a statement may be quoted in any escaping (Go's %q,
   * JSON), so no lexing can be trusted there: everything after a keyword that may start a
   * credential is masked. A keyword may follow an escape ({@code \tIDENTIFIED}), and white space,
   * escaped white space or comments may stand between it and what makes it a credential's.
   * Prose stays: "using password: YES", "Your password has expired", plugin 'caching_sha2_password'.
   */
  private static final Pattern MESSAGE_KEYWORD;

  static {
    String start = "(?:(?<![a-z0-9_$])|(?<=\\\\[a-z])|(?<=\\\\x[0-9a-f]{2})|(?<=\\\\u[0-9a-f]{4}))";
    String end = "(?![a-z0-9_$])";
    String gap = "(?:\\s|\\\\[ntr]|/\\*.*?\\*/|#[^\\n\\\\]*|--[^\\n\\\\]*)*+";
    String literal = gap + "(?:['\"\\\\]|_[a-z0-9]+" + gap + "['\"\\\\0]|[nxb]'|0[xb])";
    String value = "(?:" + gap + "[(=]|" + literal + ")";
    MESSAGE_KEYWORD = Pattern.compile("(?is)" + start + "(?:identified" + end
        + "|set" + gap + "password" + end
        + "|challenge_response" + end
        + "|(?:old_|master_|source_)?password" + end + "(?=" + value + ")"
        + "|(?:connection|option_list)" + end + "(?=" + gap + "=?" + literal + ")"
        + "|(?:aes_encrypt|aes_decrypt|des_encrypt|des_decrypt|encrypt|encode|decode)" + end + "(?=" + gap + "\\())");
  }

  /** A stretch to mask; {@code rest} marks one that runs to the end of the text. */
  private record Mask(int start, int end, boolean rest) {}

  private final String text;
  private final List<Token> tokens;
  private final List<Mask> masks;

  private CredentialClauses(String text, List<Token> tokens, List<Mask> masks) {
    this.text = text;
    this.tokens = tokens;
    this.masks = masks;
  }

  /** {@code sql} with every credential masked; the same instance when it holds none. */
  static String maskInStatement(String sql) {
    if (sql == null || sql.isEmpty()) {
      return sql;
    }
    List<Mask> masks = new ArrayList<>();
    find(sql, 0, 0, masks);
    return render(sql, masks);
  }

  /** {@code message} with everything after its first credential keyword masked. */
  static String maskInMessage(String message) {
    if (message == null) {
      return null;
    }
    Matcher keyword = MESSAGE_KEYWORD.matcher(message);
    return keyword.find() ? message.substring(0, keyword.end()) + MASKED_REST : message;
  }

  /**
   * Adds the masks of {@code sql}, which starts at {@code offset} of the whole text, lexed both
   * ways; then of the text of its comments ({@code depth} 0), or for a comment's text ({@code
   * depth} 1) of the comments inside it, which are searched as messages are, so nesting costs no
   * more than one more pass.
   */
  private static void find(String sql, int offset, int depth, List<Mask> masks) {
    Set<SqlTokens.Comment> comments = new LinkedHashSet<>();
    for (boolean backslashEscapes : new boolean[] {true, false}) {
      SqlTokens lexed = SqlTokens.of(sql, backslashEscapes);
      List<Mask> found = new ArrayList<>();
      new CredentialClauses(sql, lexed.tokens, found).scan();
      for (Mask m : found) {
        masks.add(new Mask(m.start + offset, m.end + offset, m.rest));
      }
      comments.addAll(lexed.comments);
    }
    // a comment is not run, but who wrote a password into one did not mean it to be logged either
    for (SqlTokens.Comment comment : comments) {
      if (comment.end() <= comment.start()) {
        continue;
      }
      if (depth == 0) {
        find(sql.substring(comment.start(), comment.end()), offset + comment.start(), 1, masks);
      } else {
        Matcher keyword = MESSAGE_KEYWORD.matcher(sql).region(comment.start(), comment.end());
        if (keyword.find()) {
          masks.add(new Mask(offset + keyword.end(), offset + comment.end(), true));
        }
      }
    }
  }

  private static String render(String text, List<Mask> masks) {
    if (masks.isEmpty()) {
      return text;
    }
    List<Mask> sorted = new ArrayList<>(masks);
    sorted.sort(Comparator.comparingInt(Mask::start));
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    for (int i = 0; i < sorted.size(); ) {
      Mask first = sorted.get(i);
      int end = first.end;
      boolean rest = first.rest;
      int j = i + 1;
      for (; j < sorted.size() && sorted.get(j).start <= end; j++) {
        end = Math.max(end, sorted.get(j).end);
        rest |= sorted.get(j).rest;
      }
      int start = Math.max(first.start, copied);
      out.append(text, copied, start).append(rest ? MASKED_REST : MASKED_LITERAL);
      copied = Math.max(end, start);
      i = j;
    }
    return out.append(text, Math.min(copied, text.length()), text.length()).toString();
  }

  // ------------------------------------------------------------------------------ the clauses

  private void scan() {
    for (int k = 0; k < tokens.size(); ) {
      k = clauseAt(k);
    }
  }

  /** Masks the credential clause that starts at token {@code k}, if any; the token to go on from. */
  private int clauseAt(int k) {
    Token t = tokens.get(k);
    if (t.kind() != SqlTokens.Kind.WORD) {
      return k + 1;
    }
    String word = t.upper();
    if (word.equals("IDENTIFIED")) {
      return identified(k);
    }
    if (SECRET_FUNCTIONS.contains(word) && symbol(k + 1, '(')) {
      return arguments(k);
    }
    if (word.equals("PASSWORD") || word.endsWith("_PASSWORD")) {
      return password(k);
    }
    if (word.equals("CHALLENGE_RESPONSE")) {
      return word(k + 1, "AS") ? secret(k + 2, k + 1) : k + 1;
    }
    if (word.equals("CONNECTION") || word.equals("OPTION_LIST")) {
      // a table's CONNECTION (FEDERATED, CONNECT, Spider) or OPTION_LIST (CONNECT) is a string that
      // may hold a password; KILL CONNECTION takes a number
      int value = symbol(k + 1, '=') ? k + 2 : k + 1;
      boolean decimal = value < tokens.size() && tokens.get(value).kind() == SqlTokens.Kind.NUMBER
          && text.substring(tokens.get(value).start(), tokens.get(value).end()).chars().allMatch(Character::isDigit);
      return literal(value) && !decimal ? maskLiteral(value) : k + 1;
    }
    return k + 1;
  }

  /**
   * {@code IDENTIFIED BY ...}, {@code IDENTIFIED WITH|VIA plugin ...}; IDENTIFIED before anything
   * else is a name (a column called so), unless a literal follows, which is no SQL this knows.
   */
  private int identified(int k) {
    if (word(k + 1, "BY")) {
      return by(k + 2, k + 1);
    }
    if (word(k + 1, "WITH") || word(k + 1, "VIA")) {
      return plugins(k + 2, k + 1);
    }
    if (literal(k + 1)) {
      return maskRest(k);
    }
    return k + 1;
  }

  /** After BY: a literal, {@code PASSWORD 'hash'}, or {@code RANDOM PASSWORD}. */
  private int by(int k, int keyword) {
    if (word(k, "RANDOM") && word(k + 1, "PASSWORD")) {
      return replace(k + 2);
    }
    if (word(k, "PASSWORD")) {
      if (symbol(k + 1, '(')) {
        return replace(arguments(k));
      }
      return secret(k + 1, k);
    }
    return secret(k, keyword);
  }

  /** After WITH or VIA: a plugin, then BY, AS or USING and the credential; MariaDB chains them with OR. */
  private int plugins(int k, int keyword) {
    Token plugin = k < tokens.size() ? tokens.get(k) : null;
    if (plugin == null || !(plugin.kind() == SqlTokens.Kind.WORD || plugin.kind() == SqlTokens.Kind.STRING
        || plugin.kind() == SqlTokens.Kind.QUOTED_NAME)) {
      return maskRest(keyword);
    }
    int next = k + 1;
    if (word(next, "BY")) {
      next = by(next + 1, next);
    } else if (word(next, "AS") || word(next, "USING")) {
      next = word(next + 1, "PASSWORD") || word(next + 1, "OLD_PASSWORD")
          ? (symbol(next + 2, '(') ? replace(arguments(next + 1)) : maskRest(next + 1))
          : secret(next + 1, next);
    }
    if (word(next, "OR")) {
      return plugins(next + 1, next);
    }
    return next;
  }

  /**
   * {@code PASSWORD} or {@code X_PASSWORD}: followed by {@code =} and a value, or by a literal;
   * after SET, also by {@code FOR user} and {@code TO}. Before anything else it is an option
   * ({@code PASSWORD EXPIRE}, {@code RETAIN CURRENT PASSWORD}) or a column's name, and a column
   * compared with or set to something other than a literal ({@code password = other}) holds no
   * credential of MySQL's grammar, which takes literals only.
   */
  private int password(int k) {
    boolean set = k > 0 && word(k - 1, "SET");
    boolean option = set || !tokens.get(k).upper().equals("PASSWORD");
    int at = k + 1;
    if (set && word(at, "FOR")) {
      int limit = Math.min(tokens.size(), at + 1 + MAX_USER_TOKENS);
      int found = -1;
      for (int j = at + 1; j < limit && found < 0; j++) {
        if (symbol(j, '=') || word(j, "TO")) {
          found = j;
        }
      }
      if (found < 0) {
        return maskRest(k);
      }
      at = found;
    }
    if (symbol(at, '=') || (set && word(at, "TO"))) {
      int value = at + 1;
      if (literal(value)) {
        return replace(maskLiteral(value));
      }
      if (value < tokens.size() && tokens.get(value).kind() == SqlTokens.Kind.WORD
          && SECRET_FUNCTIONS.contains(tokens.get(value).upper()) && symbol(value + 1, '(')) {
        return replace(arguments(value));
      }
      if (word(value, "RANDOM")) {
        return replace(value + 1);
      }
      return option ? maskRest(at) : at;
    }
    if (literal(at)) {
      return replace(maskLiteral(at));
    }
    return at;
  }

  /** A credential at {@code k}: masked with what follows it; otherwise everything after {@code keyword}. */
  private int secret(int k, int keyword) {
    if (!literal(k)) {
      return maskRest(keyword);
    }
    return replace(maskLiteral(k));
  }

  /** MySQL's {@code REPLACE 'current password'} after a new one. */
  private int replace(int k) {
    if (word(k, "REPLACE") && literal(k + 1)) {
      return maskLiteral(k + 1);
    }
    return k;
  }

  /** The arguments of the function named at {@code k}, up to its closing parenthesis. */
  private int arguments(int k) {
    int open = k + 1;
    int depth = 0;
    for (int j = open; j < tokens.size(); j++) {
      if (symbol(j, '(')) {
        depth++;
      } else if (symbol(j, ')') && --depth == 0) {
        if (j > open + 1) {
          masks.add(new Mask(tokens.get(open).end(), tokens.get(j).start(), false));
        }
        return j + 1;
      }
    }
    return maskRest(k);
  }

  /**
   * Whether a literal starts at {@code k}: a string or number, or an introducer
   * ({@code _utf8mb4}, {@code _binary}) and one.
   */
  private boolean literal(int k) {
    if (k >= tokens.size()) {
      return false;
    }
    Token t = tokens.get(k);
    return t.isLiteral() || (introducer(t) && k + 1 < tokens.size() && tokens.get(k + 1).isLiteral());
  }

  private static boolean introducer(Token t) {
    return t.kind() == SqlTokens.Kind.WORD && t.upper().startsWith("_") && t.upper().length() > 1;
  }

  /** Masks the literal at {@code k} (introducer, adjacent strings, COLLATE name); the token after it. */
  private int maskLiteral(int k) {
    int first = k;
    int last = introducer(tokens.get(k)) ? k + 1 : k;
    while (last + 1 < tokens.size() && tokens.get(last + 1).kind() == SqlTokens.Kind.STRING) {
      last++;
    }
    if (word(last + 1, "COLLATE") && last + 2 < tokens.size()) {
      last += 2;
    }
    masks.add(new Mask(tokens.get(first).start(), tokens.get(last).end(), false));
    return last + 1;
  }

  /** Masks from after the keyword at {@code k} to the end: what follows it cannot be read here. */
  private int maskRest(int k) {
    masks.add(new Mask(tokens.get(k).end(), text.length(), true));
    return tokens.size();
  }

  private boolean word(int k, String word) {
    return k < tokens.size() && tokens.get(k).isWord(word);
  }

  private boolean symbol(int k, char c) {
    return k < tokens.size() && tokens.get(k).isSymbol(c);
  }
}
