package dev.sourcevitess.domain.model;

import java.util.Objects;

/**
 * A statement as a server sent it, such as a DDL from the binlog. It prints only with its
 * credentials masked ({@code CREATE USER u IDENTIFIED BY '******'}): the binlog holds what was
 * typed, MariaDB's plain passwords and MySQL's hashes included, and none of it may reach a log.
 * See {@link CredentialClauses} for the forms it knows.
 */
public final class SqlText {
  private final String text;

  public SqlText(String text) {
    this.text = Objects.requireNonNull(text, "text");
  }

  /** The statement with every credential masked: what may be shown. */
  public String redacted() {
    return CredentialClauses.maskInStatement(text);
  }

  /**
   * A server's message, which may quote a statement in any escaping: from the first keyword that
   * may start a credential ({@code IDENTIFIED}, {@code PASSWORD(}, {@code MASTER_PASSWORD=},
   * ...) on, masked.
   */
  public static String maskQuotedIn(String message) {
    return CredentialClauses.maskInMessage(message);
  }

  /** The statement as sent, for reading it here in the model, never for showing. */
  String raw() {
    return text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SqlText that && text.equals(that.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** The redacted statement. */
  @Override
  public String toString() {
    return redacted();
  }
}
